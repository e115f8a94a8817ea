using Cosched.Messaging;

namespace Cosched.Workloads.Npb;

/// <summary>One NAS Parallel Benchmarks kernel (EP, CG, FT, MG, IS) on Cosched's runtime.</summary>
public interface INpbKernel
{
    /// <summary>The kernel's name as users type it: "ep", "cg", ...</summary>
    string Name { get; }

    /// <summary>Why this rank count is not allowed (naming the rule, e.g. "a power of two"), or null.</summary>
    string? RankCountProblem(NpbClass problemClass, int ranks);

    /// <summary>The bytes one rank allocates for this class and rank count, told to the user and
    /// checked against the host's memory before anything is allocated.</summary>
    long BytesPerRank(NpbClass problemClass, int ranks);

    /// <summary>Runs the benchmark on every rank of <paramref name="world"/>; each rank returns the
    /// same result (verification and time agreed on by all ranks).</summary>
    NpbResult Run(Communicator world, NpbClass problemClass);
}
