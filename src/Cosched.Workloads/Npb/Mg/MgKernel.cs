using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Mg;

/// <summary>NPB MG: V-cycle multigrid for the 3-D Poisson equation on a periodic grid, each level
/// split over a 3-D grid of ranks with ghost-layer exchanges after every operator and an allreduce
/// for the residual norm, which is checked against NPB's published value.</summary>
public sealed class MgKernel : INpbKernel
{
    public string Name => "mg";

    public string? RankCountProblem(NpbClass problemClass, int ranks)
    {
        if (ranks < 1 || (ranks & (ranks - 1)) != 0) return "MG needs a power-of-two number of ranks";
        var problem = MgProblem.For(problemClass);
        var grid = new MgDecomposition(problem, ranks, 0).RanksPerAxis;
        if (grid.Max() > problem.Size)
            return $"MG gives every rank at least one point per axis, so it runs on at most {(long)problem.Size * problem.Size * problem.Size} ranks for class {problemClass}";
        return null;
    }

    public long BytesPerRank(NpbClass problemClass, int ranks)
    {
        var d = new MgDecomposition(MgProblem.For(problemClass), ranks, 0);
        // u and r hold every level, v the finest only (NPB's nr, nr and nv).
        return 8L * (2L * d.TotalPoints + d.Points(d.Levels)) + (1L << 20);
    }

    public NpbResult Run(Communicator world, NpbClass problemClass)
    {
        if (RankCountProblem(problemClass, world.Size) is { } rule) throw new ArgumentException(rule);
        var problem = MgProblem.For(problemClass);
        var solver = new MgSolver(problem, world);

        // NPB runs one V-cycle untimed first, then starts again from the same right-hand side.
        solver.Initialize();
        solver.Residual();
        solver.Norm();
        solver.VCycle();
        solver.Residual();
        solver.Initialize();

        long start = NpbTiming.Start(world);
        solver.Residual();
        solver.Norm();
        for (int iteration = 0; iteration < problem.Iterations; iteration++)
        {
            solver.VCycle();
            solver.Residual();
        }
        double norm = solver.Norm();
        double seconds = NpbTiming.SlowestSeconds(world, start);

        bool verified = problem.Verify(norm);
        return new NpbResult("MG", problemClass, $"{problem.Size}x{problem.Size}x{problem.Size}", problem.Iterations, seconds,
            world.Size, seconds > 0 ? problem.MegaOperations / seconds : 0, "floating point", verified);
    }
}
