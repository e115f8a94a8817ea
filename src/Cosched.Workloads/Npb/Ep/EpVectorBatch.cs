using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cosched.Workloads.Npb.Ep;

/// <summary>One EP batch eight pairs at a time (AVX-512): the generator runs in two vectors, one
/// holding the first and one the second uniform of eight consecutive pairs, so the pairs come out
/// already split and NPB's sequence is produced without a buffer. Same numbers as the scalar path:
/// x_k = seed a^k mod 2^46 is exact in 64-bit lanes whichever order the lanes compute it in.</summary>
internal static class VectorBatch
{
    private const ulong Mask46 = (1UL << 46) - 1;
    private const double TwoToMinus46 = 1.0 / (1UL << 46);
    private const int Lanes = 8;
    private const int Annuli = 10;

    private static readonly ulong StepMultiplier = (ulong)NpbRandom.Power(NpbRandom.DefaultMultiplier, 2 * Lanes);
    private static readonly ulong Multiplier = (ulong)NpbRandom.DefaultMultiplier;

    /// <summary>Adds the batch that starts after <paramref name="seed"/> to the tallies.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tally(ulong seed, Span<double> counts, ref double sumX, ref double sumY)
    {
        // Lane j of `first` is x_(2j+1), of `second` x_(2j+2): the pairs (x_(2i-1), x_(2i)) NPB forms.
        Span<ulong> start = stackalloc ulong[2 * Lanes];
        ulong state = seed;
        for (int k = 0; k < start.Length; k++)
        {
            state = (state * Multiplier) & Mask46;
            start[k] = state;
        }
        Span<ulong> odd = stackalloc ulong[Lanes], even = stackalloc ulong[Lanes];
        for (int j = 0; j < Lanes; j++)
        {
            odd[j] = start[2 * j];
            even[j] = start[2 * j + 1];
        }
        var first = Vector512.Create<ulong>(odd);
        var second = Vector512.Create<ulong>(even);
        var step = Vector512.Create(StepMultiplier);
        var mask = Vector512.Create(Mask46);
        var scale = Vector512.Create(2 * TwoToMinus46);
        var one = Vector512<double>.One;
        var minusTwo = Vector512.Create(-2.0);

        // cumulative[k] counts pairs whose larger deviate is at least k + 1; the annuli are their differences.
        Span<Vector512<double>> atLeast = stackalloc Vector512<double>[Annuli - 1];
        atLeast.Clear();
        var sx = Vector512<double>.Zero;
        var sy = Vector512<double>.Zero;
        var accepted = Vector512<double>.Zero;

        for (int pairs = 0; pairs < 1 << EpProblem.BatchLog2; pairs += Lanes)
        {
            var x1 = Vector512.ConvertToDouble(first) * scale - one;
            var x2 = Vector512.ConvertToDouble(second) * scale - one;
            first = (first * step) & mask;
            second = (second * step) & mask;

            var t = x1 * x1 + x2 * x2;
            var inside = Vector512.LessThanOrEqual(t, one);
            var factor = Vector512.Sqrt(minusTwo * Log(t) / t);
            var gx = Vector512.BitwiseAnd(Vector512.Abs(x1 * factor), inside);
            var gy = Vector512.BitwiseAnd(Vector512.Abs(x2 * factor), inside);
            sx += gx;
            sy += gy;
            accepted += Vector512.BitwiseAnd(one, inside);
            var larger = Vector512.Max(gx, gy);
            for (int k = 0; k < atLeast.Length; k++)
                atLeast[k] += Vector512.BitwiseAnd(one, Vector512.GreaterThanOrEqual(larger, Vector512.Create(k + 1.0)));
        }

        sumX += Vector512.Sum(sx);
        sumY += Vector512.Sum(sy);
        double above = Vector512.Sum(accepted);
        for (int k = 0; k < Annuli - 1; k++)
        {
            double next = Vector512.Sum(atLeast[k]);
            counts[k] += above - next;
            above = next;
        }
        counts[Annuli - 1] += above;
    }

    /// <summary>Natural logarithm of positive normal doubles, within a few ulp: t = 2^k m with m in
    /// [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) for s = (m - 1) / (m + 1), whose series in s^2 < 0.03
    /// reaches double precision in eleven terms. (Vector512.Log is no faster than one scalar log per
    /// lane here; NPB's Fortran calls libm's scalar log.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Log(Vector512<double> t)
    {
        const ulong sqrtHalfBits = 0x3FE6A09E667F3BCD; // sqrt(1/2)
        const double ln2High = 6.93147180369123816490e-01, ln2Low = 1.90821492927058770002e-10;
        // Shifting the bits by 1 - sqrt(1/2) makes the exponent field round at sqrt(1/2) instead of 1.
        var bits = t.AsUInt64() + Vector512.Create(0x3FF0000000000000 - sqrtHalfBits);
        var k = Vector512.ConvertToDouble(Vector512.ShiftRightLogical(bits, 52).AsInt64() - Vector512.Create(1023L));
        var m = ((bits & Vector512.Create(0x000FFFFFFFFFFFFFUL)) + Vector512.Create(sqrtHalfBits)).AsDouble();
        var f = m - Vector512<double>.One;
        var s = f / (Vector512.Create(2.0) + f);
        var z = s * s;
        var series = Vector512.Create(1.0 / 23);
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 21));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 19));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 17));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 15));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 13));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 11));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 9));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 7));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 5));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(1.0 / 3));
        var twoS = s + s;
        var logM = Vector512.FusedMultiplyAdd(twoS * z, series, twoS);
        return Vector512.FusedMultiplyAdd(k, Vector512.Create(ln2High), Vector512.FusedMultiplyAdd(k, Vector512.Create(ln2Low), logM));
    }
}
