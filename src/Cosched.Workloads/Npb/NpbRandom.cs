namespace Cosched.Workloads.Npb;

/// <summary>NPB's linear congruential generator x_{k+1} = a x_k mod 2^46, returning x / 2^46
/// (randlc and vranlc). NPB computes it in doubles split into 23-bit halves so that Fortran can do
/// it exactly; the product's low 64 bits already hold it exactly mod 2^46, so one integer multiply
/// gives the identical sequence.</summary>
public static class NpbRandom
{
    /// <summary>The multiplier every NPB kernel uses: 5^13.</summary>
    public const double DefaultMultiplier = 1220703125.0;

    private const ulong Mask46 = (1UL << 46) - 1;
    private const double TwoToMinus46 = 1.0 / (1UL << 46);

    /// <summary>Advances the seed <paramref name="x"/> by one step of multiplier <paramref name="a"/>
    /// and returns the new value scaled to (0, 1), as NPB's randlc.</summary>
    public static double Randlc(ref double x, double a)
    {
        ulong next = ((ulong)x * (ulong)a) & Mask46;
        x = next;
        return next * TwoToMinus46;
    }

    /// <summary>Fills <paramref name="y"/> with the next y.Length values of the sequence, as NPB's
    /// vranlc, and leaves the seed at the last one.</summary>
    public static void Vranlc(Span<double> y, ref double x, double a)
    {
        ulong state = (ulong)x, multiplier = (ulong)a;
        for (int i = 0; i < y.Length; i++)
        {
            state = (state * multiplier) & Mask46;
            y[i] = state * TwoToMinus46;
        }
        x = state;
    }

    /// <summary>a^exponent mod 2^46: the multiplier that jumps <paramref name="exponent"/> steps
    /// ahead, so each rank can start its own stretch of one global sequence.</summary>
    public static double Power(double a, long exponent)
    {
        if (exponent < 0) throw new ArgumentOutOfRangeException(nameof(exponent));
        ulong result = 1, b = (ulong)a;
        for (ulong e = (ulong)exponent; e != 0; e >>= 1)
        {
            if ((e & 1) != 0) result = (result * b) & Mask46;
            b = (b * b) & Mask46;
        }
        return result;
    }
}
