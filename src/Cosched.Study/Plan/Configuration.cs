namespace Cosched.Study.Plan;

/// <summary>One thing the study measures: a workload, on one MPI (Cosched, Intel MPI Benchmarks built
/// with Cosched's wrapper, or the Open MPI peer), with its ranks, VMs, placement and channel policy.
/// Its <see cref="Key"/> identifies it across runs, so `--resume` knows what is already measured.</summary>
/// <param name="Mpi">"cosched" (Cosched's own programs, and NPB's binaries built with its wrappers), "cosched-imb" or "openmpi".</param>
/// <param name="Vms">0 is native: ranks on the host itself.</param>
/// <param name="Channels">locality, per-vm or network (network = tcp everywhere; for Open MPI natively, its tcp transport).</param>
/// <param name="MsgLog">message sizes as MIN:MAX (micro-benchmarks), the NAS class (of Cosched's kernels and of NPB's binaries), the BLAST query count, or the migration PingPong's message size in bytes.</param>
/// <param name="Seconds">time one message size may take (micro-benchmarks), or the migration PingPong's length.</param>
/// <param name="Threads">OpenMP threads of each rank (NPB's multi-zone benchmarks); 1 everywhere else.</param>
public sealed record Configuration(
    string Experiment, string Mpi, string Workload, int Ranks, int Vms, string Pin, string Channels, string MsgLog, double Seconds, int Threads = 1)
{
    public const string Cosched = "cosched";
    /// <summary>Intel MPI Benchmarks' IMB-MPI1 built with `cosched mpicc`, run under `cosched run`.</summary>
    public const string CoschedImb = "cosched-imb";
    public const string OpenMpi = "openmpi";

    /// <summary>The threads only where there are several, so that the keys of a study made before
    /// threads existed still match (--resume).</summary>
    public string Key => $"{Experiment}/{Mpi}/{Workload}/n{Ranks}/vms{Vms}/{Pin}/{Channels}/{MsgLog}{(Threads == 1 ? "" : $"/t{Threads}")}";

    /// <summary>How the report names an MPI: "Cosched" (its own benchmarks), "IMB on Cosched", "Open MPI".</summary>
    public static string Title(string mpi) => mpi switch
    {
        OpenMpi => "Open MPI",
        CoschedImb => "IMB on Cosched",
        _ => "Cosched",
    };

    /// <summary>A multi-zone mix, processes x threads: "2x1" is 2 processes of 1 thread each.</summary>
    public string Mix => $"{Ranks}x{Threads}";

    /// <summary>Where the ranks run and how they talk, as the report names a line in a plot.</summary>
    public string Scenario => Vms switch
    {
        _ when Experiment == Plan.Experiment.Migration => $"{Vms} VMs moved between 2 hosts, {Channels}",
        0 => Channels == "network" ? "native tcp" : "native shm",
        1 => "1 VM",
        _ => $"{Vms} VMs {Channels}{(Pin == "compact" ? "" : " " + Pin)}",
    };

    /// <summary>What the progress bar shows while this configuration runs.</summary>
    public string Label => $"{(Mpi == Cosched ? "" : Title(Mpi) + " ")}{Workload} {Scenario}, {(Ranks == 1 ? "1 rank" : $"{Ranks} ranks")}{(Threads == 1 ? "" : $" x {Threads} threads")}";
}
