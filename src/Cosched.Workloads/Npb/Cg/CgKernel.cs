using System.Globalization;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Cg;

/// <summary>NPB's CG: the inverse power method on a random sparse symmetric matrix, each outer
/// iteration solving by conjugate gradient; the matrix is split over a power-of-two grid of ranks
/// and the timed loop estimates the smallest eigenvalue, zeta, checked against NPB's value.</summary>
public sealed class CgKernel : INpbKernel
{
    public string Name => "cg";

    public string? RankCountProblem(NpbClass problemClass, int ranks) =>
        int.IsPow2(ranks) ? null : "CG needs a power-of-two rank count";

    public long BytesPerRank(NpbClass problemClass, int ranks)
    {
        var problem = CgProblem.For(problemClass);
        int log2 = int.Log2(ranks);
        int gridRows = 1 << (log2 / 2), gridColumns = 1 << (log2 - log2 / 2);
        long nonzeros = CgMatrix.Capacity(problem, ranks, gridColumns);
        // Triplets while building (row, column, value), the sorted copy, the compressed matrix, and the vectors.
        return nonzeros * (4 + 4 + 8) * 2 + nonzeros * (4 + 8) + 6L * (problem.Na / gridRows + 2) * 8 + 3L * (problem.Na + 1) * 8;
    }

    public NpbResult Run(Communicator world, NpbClass problemClass)
    {
        var problem = CgProblem.For(problemClass);
        var layout = new CgLayout(problem.Na, world.Size, world.Rank);
        double tran = 314159265;
        NpbRandom.Randlc(ref tran, NpbRandom.DefaultMultiplier);
        var matrix = CgMatrix.Make(problem, layout, world.Size, ref tran);
        var solver = new CgSolver(world, layout, matrix);

        // One untimed iteration, as NPB does, to touch every page and warm the code.
        Array.Fill(solver.X, 1.0);
        PowerStep(solver, layout);
        Array.Fill(solver.X, 1.0);

        double zeta = 0;
        long start = NpbTiming.Start(world);
        for (int it = 1; it <= problem.Niter; it++)
            zeta = problem.Shift + 1.0 / PowerStep(solver, layout);
        double seconds = NpbTiming.SlowestSeconds(world, start);

        bool verified = NpbVerification.Within(zeta, problem.Zeta, CgProblem.Epsilon);
        return new NpbResult("CG", problemClass, problem.Na.ToString(CultureInfo.InvariantCulture), problem.Niter, seconds,
            world.Size, problem.Operations / seconds / 1e6, "floating point", verified);
    }

    /// <summary>One outer iteration: solve, then x = z / ||z||; returns x.z (before normalising).</summary>
    private static double PowerStep(CgSolver solver, CgLayout layout)
    {
        solver.Solve();
        var (xz, zz) = solver.Norms();
        double scale = 1.0 / Math.Sqrt(zz);
        var x = solver.X;
        var z = solver.Z;
        for (int j = 0; j < layout.LocalColumns; j++) x[j] = scale * z[j];
        return xz;
    }
}
