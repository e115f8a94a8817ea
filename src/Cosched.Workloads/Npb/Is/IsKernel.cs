using System.Globalization;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Is;

/// <summary>NPB's IS: ranks integer keys by bucket sort, ten timed iterations, with NPB's partial
/// verification of five test keys per iteration and a full sortedness check after timing.
/// Communication per iteration: an allreduce of bucket sizes, an alltoall of counts and an
/// alltoallv of the keys.</summary>
public sealed class IsKernel : INpbKernel
{
    public string Name => "is";

    public string? RankCountProblem(NpbClass problemClass, int ranks)
    {
        int most = IsProblem.For(problemClass).MaxRanks;
        if (ranks > most) return $"IS class {problemClass} runs on at most {most} ranks";
        return int.IsPow2(ranks) ? null : "IS needs a power-of-two rank count";
    }

    public long BytesPerRank(NpbClass problemClass, int ranks)
    {
        var problem = IsProblem.For(problemClass);
        return 3L * IsRanking.BufferKeys(problem, ranks) * sizeof(int) + (long)problem.MaxKey * sizeof(int) + 65536;
    }

    public NpbResult Run(Communicator world, NpbClass problemClass)
    {
        var problem = IsProblem.For(problemClass);
        var ranking = new IsRanking(problem, world);
        // One untimed iteration first, as NPB does, to touch every page and warm the code.
        ranking.Rank(1);
        ranking.ResetPassed();

        long start = NpbTiming.Start(world);
        for (int iteration = 1; iteration <= IsProblem.Iterations; iteration++)
            ranking.Rank(iteration);
        double seconds = NpbTiming.SlowestSeconds(world, start);

        int passed = world.Allreduce(ranking.Passed + ranking.FullyVerify(), ReduceOp<int>.Sum);
        bool verified = passed == IsProblem.TestKeys * IsProblem.Iterations + world.Size;
        double keysRanked = (double)IsProblem.Iterations * problem.TotalKeys;
        return new NpbResult("IS", problemClass, problem.TotalKeys.ToString(CultureInfo.InvariantCulture), IsProblem.Iterations,
            seconds, world.Size, keysRanked / seconds / 1e6, "keys ranked", verified);
    }
}
