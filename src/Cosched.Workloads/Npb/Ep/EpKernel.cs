using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Ep;

/// <summary>NPB's EP: Gaussian deviates by the Marsaglia polar method from NPB's generator,
/// tallied in square annuli. Each rank takes a contiguous share of the batches (the first ranks
/// one more when they do not divide evenly, as NPB deals them); the only communication is the
/// closing allreduce of the sums and counts.</summary>
public sealed class EpKernel : INpbKernel
{
    private const int PairsPerBatch = 1 << EpProblem.BatchLog2;
    private const int Annuli = 10;
    private const double Seed = 271828183;

    public string Name => "ep";

    public string? RankCountProblem(NpbClass problemClass, int ranks)
    {
        long batches = EpProblem.For(problemClass).Batches;
        return ranks > batches ? $"EP class {problemClass} has {batches} batches of random numbers, so at most {batches} ranks" : null;
    }

    public long BytesPerRank(NpbClass problemClass, int ranks) => 2L * PairsPerBatch * sizeof(double) + 4096;

    public NpbResult Run(Communicator world, NpbClass problemClass)
    {
        var problem = EpProblem.For(problemClass);
        var uniforms = new double[2 * PairsPerBatch];
        // The vector path keeps each pair's first and second uniform in separate halves of the buffer.
        var firstUniforms = uniforms.AsSpan(0, PairsPerBatch);
        var secondUniforms = uniforms.AsSpan(PairsPerBatch);
        var counts = new double[Annuli];
        // Touch the buffer before timing, as NPB does, so page faults stay out of the timed region.
        Array.Fill(uniforms, -1e99);

        long start = NpbTiming.Start(world);

        // Batch k starts at seed * a^(2 PairsPerBatch k): the multiplier jumps a whole batch.
        double batchMultiplier = NpbRandom.Power(NpbRandom.DefaultMultiplier, 2L * PairsPerBatch);
        var (firstBatch, count) = Share(problem.Batches, world.Size, world.Rank);
        double sumX = 0, sumY = 0;
        for (long batch = firstBatch; batch < firstBatch + count; batch++)
        {
            double seed = Seed;
            NpbRandom.Randlc(ref seed, NpbRandom.Power(batchMultiplier, batch));
            if (Vector.IsHardwareAccelerated)
            {
                VectorBatch.Generate((ulong)seed, firstUniforms, secondUniforms);
                VectorBatch.Tally(firstUniforms, secondUniforms, counts, ref sumX, ref sumY);
            }
            else
            {
                NpbRandom.Vranlc(uniforms, ref seed, NpbRandom.DefaultMultiplier);
                TallyGaussianPairs(uniforms, counts, ref sumX, ref sumY);
            }
        }

        sumX = world.Allreduce(sumX, ReduceOp<double>.Sum);
        sumY = world.Allreduce(sumY, ReduceOp<double>.Sum);
        world.Allreduce(counts.AsSpan(), ReduceOp<double>.Sum);
        double pairs = 0;
        foreach (double c in counts) pairs += c;

        double seconds = NpbTiming.SlowestSeconds(world, start);
        bool verified = NpbVerification.Within(sumX, problem.SumX, EpProblem.Epsilon)
            && NpbVerification.Within(sumY, problem.SumY, EpProblem.Epsilon)
            && NpbVerification.Within(pairs, problem.GaussianPairs, EpProblem.Epsilon);
        double randoms = Math.Pow(2, problem.M + 1);
        return new NpbResult("EP", problemClass, randoms.ToString("F0", CultureInfo.InvariantCulture), 0, seconds,
            world.Size, randoms / seconds / 1e6, "Random numbers generated", verified);
    }

    /// <summary>The first batch and the number of batches of <paramref name="rank"/>: the first
    /// (batches mod ranks) ranks take one more.</summary>
    internal static (long First, long Count) Share(long batches, int ranks, int rank)
    {
        long each = batches / ranks, extra = batches % ranks;
        long count = each + (rank < extra ? 1 : 0);
        long first = rank < extra ? rank * (each + 1) : extra * (each + 1) + (rank - extra) * each;
        return (first, count);
    }

    /// <summary>Turns each pair of uniforms inside the unit circle into two Gaussian deviates and
    /// counts the pair in the annulus its larger magnitude falls in.</summary>
    [SkipLocalsInit]
    internal static void TallyGaussianPairs(ReadOnlySpan<double> uniforms, Span<double> counts, ref double sumX, ref double sumY)
    {
        ref double u = ref MemoryMarshal.GetReference(uniforms);
        double sx = sumX, sy = sumY;
        for (int i = 0; i < uniforms.Length; i += 2)
        {
            double x1 = 2.0 * Unsafe.Add(ref u, i) - 1.0;
            double x2 = 2.0 * Unsafe.Add(ref u, i + 1) - 1.0;
            double t = x1 * x1 + x2 * x2;
            if (t <= 1.0)
            {
                double scale = Math.Sqrt(-2.0 * Math.Log(t) / t);
                double gx = Math.Abs(x1 * scale), gy = Math.Abs(x2 * scale);
                // NPB keeps 10 annuli: no deviate of these sequences reaches 10, and the span's
                // bounds check turns one that did into an error instead of a wrong tally.
                counts[(int)Math.Max(gx, gy)] += 1.0;
                sx += gx;
                sy += gy;
            }
        }
        sumX = sx;
        sumY = sy;
    }
}
