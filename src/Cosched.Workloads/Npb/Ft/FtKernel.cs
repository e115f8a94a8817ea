using System.Numerics;
using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Ft;

/// <summary>NPB FT: solves a 3-D diffusion equation spectrally (forward FFT once, then per iteration
/// a multiplication by exp(-4 alpha pi^2 |k|^2 t) and an inverse FFT), with all-to-all transposes
/// between ranks, and checks 1024 sampled values against NPB's checksums.</summary>
public sealed class FtKernel : INpbKernel
{
    private const double Seed = 314159265.0;
    private const double Alpha = 1.0e-6;

    public string Name => "ft";

    public string? RankCountProblem(NpbClass problemClass, int ranks)
    {
        if (ranks < 1 || (ranks & (ranks - 1)) != 0) return "FT needs a power-of-two number of ranks";
        var problem = FtProblem.For(problemClass);
        if (ranks > problem.Nz)
            return $"FT splits the grid into slabs of z planes, so it runs on at most {problem.Nz} ranks for class {problemClass}";
        return null;
    }

    public long BytesPerRank(NpbClass problemClass, int ranks)
    {
        var problem = FtProblem.For(problemClass);
        long points = problem.TotalPoints / ranks;
        // u0, u1, u2 (complex) and the exponent table (real), as NPB allocates them.
        return points * (3 * 16 + 8) + (1L << 20);
    }

    public NpbResult Run(Communicator world, NpbClass problemClass)
    {
        var problem = FtProblem.For(problemClass);
        if (RankCountProblem(problemClass, world.Size) is { } rule) throw new ArgumentException(rule);
        var layout = new FtLayout(problem, world.Size, world.Rank);
        var fft = new Fft3d(layout, world);
        int points = layout.LocalPoints;
        var u0 = GC.AllocateUninitializedArray<double>(2 * points);
        var u1 = GC.AllocateUninitializedArray<double>(2 * points);
        var u2 = GC.AllocateUninitializedArray<double>(2 * points);
        var exponents = GC.AllocateUninitializedArray<double>(points);
        var checksums = new Complex[problem.Iterations];

        // NPB runs the setup and the first FFT once untimed, so that every page is touched.
        ComputeExponents(layout, exponents);
        ComputeInitialConditions(layout, u1);
        fft.Forward(u1, u0);

        long start = NpbTiming.Start(world);
        ComputeExponents(layout, exponents);
        ComputeInitialConditions(layout, u1);
        fft.Initialize();
        fft.Forward(u1, u0);
        for (int iteration = 0; iteration < problem.Iterations; iteration++)
        {
            Evolve(u0, u1, exponents);
            fft.Inverse(u1, u2);
            checksums[iteration] = Checksum(world, layout, u2);
        }
        bool verified = world.Rank == 0 && problem.Verify(checksums);
        double seconds = NpbTiming.SlowestSeconds(world, start);
        verified = world.Bcast(verified, 0);

        return new NpbResult("FT", problemClass, $"{problem.Nx}x{problem.Ny}x{problem.Nz}", problem.Iterations, seconds,
            world.Size, seconds > 0 ? problem.MegaOperations / seconds : 0, "floating point", verified);
    }

    /// <summary>compute_indexmap: exp(-4 alpha pi^2 (kx^2 + ky^2 + kz^2)) for every local point, the
    /// wave numbers folded into -n/2..n/2-1, in the layout the forward FFT leaves.</summary>
    private static void ComputeExponents(FtLayout layout, Span<double> exponents)
    {
        var p = layout.Problem;
        double ap = -4.0 * Alpha * Math.PI * Math.PI;
        static int Fold(int index, int n) => (index + n / 2) % n - n / 2;
        if (!layout.Distributed)
        {
            for (int k = 0; k < p.Nz; k++)
            {
                int kz = Fold(k, p.Nz);
                for (int j = 0; j < p.Ny; j++)
                {
                    int ky = Fold(j, p.Ny);
                    var row = exponents.Slice(p.Nx * (j + p.Ny * k), p.Nx);
                    for (int i = 0; i < row.Length; i++)
                    {
                        int kx = Fold(i, p.Nx);
                        row[i] = Math.Exp(ap * (kz * kz + ky * ky + kx * kx));
                    }
                }
            }
            return;
        }
        // z-x-y layout with this rank's y planes.
        for (int j = 0; j < layout.LocalY; j++)
        {
            int ky = Fold(j + layout.YStart, p.Ny);
            for (int i = 0; i < p.Nx; i++)
            {
                int kx = Fold(i, p.Nx);
                var row = exponents.Slice(p.Nz * (i + p.Nx * j), p.Nz);
                for (int k = 0; k < row.Length; k++)
                {
                    int kz = Fold(k, p.Nz);
                    row[k] = Math.Exp(ap * (kz * kz + ky * ky + kx * kx));
                }
            }
        }
    }

    /// <summary>compute_initial_conditions: the grid filled with NPB's random sequence, plane by plane
    /// in x-y-z order (real and imaginary parts consecutive), each rank jumping to its first plane.</summary>
    private static void ComputeInitialConditions(FtLayout layout, double[] u)
    {
        var p = layout.Problem;
        long perPlane = 2L * p.Nx * p.Ny;
        double start = Seed;
        NpbRandom.Randlc(ref start, NpbRandom.Power(NpbRandom.DefaultMultiplier, perPlane * layout.ZStart));
        double planeJump = NpbRandom.Power(NpbRandom.DefaultMultiplier, perPlane);
        for (int k = 0; k < layout.LocalZ; k++)
        {
            double x = start;
            NpbRandom.Vranlc(u.AsSpan((int)(perPlane * k), (int)perPlane), ref x, NpbRandom.DefaultMultiplier);
            NpbRandom.Randlc(ref start, planeJump);
        }
    }

    /// <summary>evolve: u0 *= exponents (one more time step), u1 = u0.</summary>
    private static void Evolve(double[] u0, double[] u1, double[] exponents)
    {
        var a = MemoryMarshal.Cast<double, Complex>(u0.AsSpan());
        var b = MemoryMarshal.Cast<double, Complex>(u1.AsSpan());
        var e = exponents.AsSpan(0, a.Length);
        b = b[..a.Length];
        for (int i = 0; i < e.Length; i++)
        {
            var value = a[i] * e[i];
            a[i] = value;
            b[i] = value;
        }
    }

    /// <summary>checksum: the sum of 1024 sampled points (x = j mod nx, y = 3j mod ny, z = 5j mod nz)
    /// divided by the grid size, each rank adding the samples it holds, reduced to rank 0.</summary>
    private static Complex Checksum(Communicator world, FtLayout layout, double[] u)
    {
        var p = layout.Problem;
        double re = 0, im = 0;
        for (int j = 1; j <= 1024; j++)
        {
            int z = 5 * j % p.Nz - layout.ZStart;
            if (z < 0 || z >= layout.LocalZ) continue;
            int index = j % p.Nx + p.Nx * (3 * j % p.Ny + p.Ny * z);
            re += u[2 * index];
            im += u[2 * index + 1];
        }
        Span<double> sum = [re / p.TotalPoints, im / p.TotalPoints];
        world.Reduce(sum, ReduceOp<double>.Sum, 0);
        return new Complex(sum[0], sum[1]);
    }
}
