using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosched.Workloads.Npb.Ep;

/// <summary>One EP batch with SIMD vectors of whatever width the machine has (System.Numerics
/// Vector&lt;T&gt;: AVX2/AVX-512 or Arm NEON). The generator runs as eight independent scalar chains
/// that jump 16 numbers a step and write the pairs' first and second uniforms into two arrays, so
/// that vectors load them already split; x_k = seed a^k mod 2^46 is exact whichever order it is
/// computed in, so the uniforms are NPB's bit for bit.</summary>
internal static class VectorBatch
{
    private const ulong Mask46 = (1UL << 46) - 1;
    private const double TwoToMinus46 = 1.0 / (1UL << 46);
    private const int Annuli = 10;
    private const ulong Multiplier = 1220703125;

    // Four chains of pairs, each pair two numbers: a chain steps over 4 pairs = 8 numbers.
    private static readonly ulong ChainStep = (ulong)NpbRandom.Power(NpbRandom.DefaultMultiplier, 8);

    /// <summary>Uniforms of the batch after <paramref name="seed"/>: pair i is (first[i], second[i]).</summary>
    [SkipLocalsInit]
    public static void Generate(ulong seed, Span<double> first, Span<double> second)
    {
        ulong o0 = (seed * Multiplier) & Mask46, e0 = (o0 * Multiplier) & Mask46;
        ulong o1 = (e0 * Multiplier) & Mask46, e1 = (o1 * Multiplier) & Mask46;
        ulong o2 = (e1 * Multiplier) & Mask46, e2 = (o2 * Multiplier) & Mask46;
        ulong o3 = (e2 * Multiplier) & Mask46, e3 = (o3 * Multiplier) & Mask46;
        ref double f = ref MemoryMarshal.GetReference(first);
        ref double s = ref MemoryMarshal.GetReference(second);
        int pairs = Math.Min(first.Length, second.Length) & ~3;
        for (int i = 0; i < pairs; i += 4)
        {
            Unsafe.Add(ref f, i) = o0 * TwoToMinus46;
            Unsafe.Add(ref s, i) = e0 * TwoToMinus46;
            Unsafe.Add(ref f, i + 1) = o1 * TwoToMinus46;
            Unsafe.Add(ref s, i + 1) = e1 * TwoToMinus46;
            Unsafe.Add(ref f, i + 2) = o2 * TwoToMinus46;
            Unsafe.Add(ref s, i + 2) = e2 * TwoToMinus46;
            Unsafe.Add(ref f, i + 3) = o3 * TwoToMinus46;
            Unsafe.Add(ref s, i + 3) = e3 * TwoToMinus46;
            o0 = (o0 * ChainStep) & Mask46;
            e0 = (e0 * ChainStep) & Mask46;
            o1 = (o1 * ChainStep) & Mask46;
            e1 = (e1 * ChainStep) & Mask46;
            o2 = (o2 * ChainStep) & Mask46;
            e2 = (e2 * ChainStep) & Mask46;
            o3 = (o3 * ChainStep) & Mask46;
            e3 = (e3 * ChainStep) & Mask46;
        }
    }

    /// <summary>Adds the pairs inside the unit circle to the tallies, Vector&lt;double&gt;.Count pairs at a
    /// time; the spans' length must be a multiple of that count.</summary>
    [SkipLocalsInit]
    public static void Tally(ReadOnlySpan<double> first, ReadOnlySpan<double> second, Span<double> counts, ref double sumX, ref double sumY)
    {
        ref double f = ref MemoryMarshal.GetReference(first);
        ref double s = ref MemoryMarshal.GetReference(second);
        var one = Vector<double>.One;
        var two = new Vector<double>(2.0);
        var minusTwo = new Vector<double>(-2.0);

        // atLeast[k] counts pairs whose larger deviate is at least k + 1; the annuli are their differences.
        Span<Vector<double>> atLeast = stackalloc Vector<double>[Annuli - 1];
        atLeast.Clear();
        var sx = Vector<double>.Zero;
        var sy = Vector<double>.Zero;
        var accepted = Vector<double>.Zero;

        int length = Math.Min(first.Length, second.Length);
        for (int i = 0; i < length; i += Vector<double>.Count)
        {
            var x1 = Vector.LoadUnsafe(ref f, (nuint)i) * two - one;
            var x2 = Vector.LoadUnsafe(ref s, (nuint)i) * two - one;
            var t = x1 * x1 + x2 * x2;
            var inside = Vector.AsVectorDouble(Vector.LessThanOrEqual(t, one));
            var factor = Vector.SquareRoot(minusTwo * Log(t) / t);
            var gx = Vector.Abs(x1 * factor) & inside;
            var gy = Vector.Abs(x2 * factor) & inside;
            sx += gx;
            sy += gy;
            accepted += one & inside;
            var larger = Vector.Max(gx, gy);
            for (int k = 0; k < atLeast.Length; k++)
                atLeast[k] += one & Vector.AsVectorDouble(Vector.GreaterThanOrEqual(larger, new Vector<double>(k + 1.0)));
        }

        sumX += Vector.Sum(sx);
        sumY += Vector.Sum(sy);
        double above = Vector.Sum(accepted);
        for (int k = 0; k < Annuli - 1; k++)
        {
            double next = Vector.Sum(atLeast[k]);
            counts[k] += above - next;
            above = next;
        }
        counts[Annuli - 1] += above;
    }

    /// <summary>Natural logarithm of positive normal doubles, within a few ulp: t = 2^k m with m in
    /// [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) for s = (m - 1) / (m + 1), whose series in s^2 < 0.03
    /// reaches double precision in eleven terms. (.NET's Vector512.Log measured no faster than one
    /// scalar libm log per lane here, and NPB's Fortran calls the scalar log.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<double> Log(Vector<double> t)
    {
        const ulong sqrtHalfBits = 0x3FE6A09E667F3BCD; // sqrt(1/2)
        const ulong twoTo52Bits = 0x4330000000000000;   // 2^52: or-ing a small integer into it converts exactly
        const double ln2High = 6.93147180369123816490e-01, ln2Low = 1.90821492927058770002e-10;
        // Shifting the bits by 1 - sqrt(1/2) makes the exponent field round at sqrt(1/2) instead of 1.
        var bits = Vector.AsVectorUInt64(t) + new Vector<ulong>(0x3FF0000000000000 - sqrtHalfBits);
        var biased = Vector.AsVectorDouble(Vector.ShiftRightLogical(bits, 52) | new Vector<ulong>(twoTo52Bits));
        var k = biased - new Vector<double>(4503599627370496.0 + 1023.0);
        var m = Vector.AsVectorDouble((bits & new Vector<ulong>(0x000FFFFFFFFFFFFFUL)) + new Vector<ulong>(sqrtHalfBits));
        var f = m - Vector<double>.One;
        var s = f / (new Vector<double>(2.0) + f);
        var z = s * s;
        var series = new Vector<double>(1.0 / 23);
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 21));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 19));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 17));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 15));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 13));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 11));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 9));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 7));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 5));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 3));
        var twoS = s + s;
        var logM = Vector.FusedMultiplyAdd(twoS * z, series, twoS);
        return Vector.FusedMultiplyAdd(k, new Vector<double>(ln2High), Vector.FusedMultiplyAdd(k, new Vector<double>(ln2Low), logM));
    }
}
