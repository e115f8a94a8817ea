using Cosched.Workloads.Npb;
using CsCheck;

namespace Cosched.Workloads.Tests.Npb;

public class NpbRandomTests
{
    /// <summary>NPB's own formulation: doubles split into 23-bit halves (randlc in NPB's
    /// common/randdp). The integer version must give the identical sequence.</summary>
    private static double SplitDoubleRandlc(ref double x, double a)
    {
        const double r23 = 1.0 / (1 << 23), t23 = 1 << 23, r46 = r23 * r23, t46 = t23 * t23;
        double t1 = r23 * a;
        double a1 = (int)t1, a2 = a - t23 * a1;
        t1 = r23 * x;
        double x1 = (int)t1, x2 = x - t23 * x1;
        t1 = a1 * x2 + a2 * x1;
        double t2 = (int)(r23 * t1), z = t1 - t23 * t2;
        double t3 = t23 * z + a2 * x2;
        double t4 = (int)(r46 * t3);
        x = t3 - t46 * t4;
        return r46 * x;
    }

    [Fact]
    public void Randlc_matches_the_split_double_formulation_for_any_odd_seed_below_2_to_46()
    {
        Gen.Long[1, (1L << 46) - 1].Select(s => (double)(s | 1)).Sample(seed =>
        {
            double ours = seed, theirs = seed;
            for (int i = 0; i < 50; i++)
                Assert.Equal(SplitDoubleRandlc(ref theirs, NpbRandom.DefaultMultiplier), NpbRandom.Randlc(ref ours, NpbRandom.DefaultMultiplier));
            Assert.Equal(theirs, ours);
        });
    }

    [Fact]
    public void Vranlc_continues_the_same_sequence_as_randlc()
    {
        double seedA = 314159265, seedB = 314159265;
        Span<double> values = stackalloc double[1000];
        NpbRandom.Vranlc(values, ref seedA, NpbRandom.DefaultMultiplier);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(NpbRandom.Randlc(ref seedB, NpbRandom.DefaultMultiplier), values[i]);
        Assert.Equal(seedB, seedA);
    }

    [Fact]
    public void Power_jumps_ahead_as_many_steps_as_it_is_told()
    {
        double stepped = 271828183;
        for (int i = 0; i < 12345; i++) NpbRandom.Randlc(ref stepped, NpbRandom.DefaultMultiplier);
        double jumped = 271828183;
        NpbRandom.Randlc(ref jumped, NpbRandom.Power(NpbRandom.DefaultMultiplier, 12345));
        Assert.Equal(stepped, jumped);
    }

    [Theory]
    [InlineData("S", NpbClass.S)]
    [InlineData("a", NpbClass.A)]
    [InlineData("C", NpbClass.C)]
    public void Classes_parse_in_either_case(string text, NpbClass expected)
    {
        Assert.True(NpbClasses.TryParse(text, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("D")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("SW")]
    public void Unknown_classes_are_refused(string text) => Assert.False(NpbClasses.TryParse(text, out _));
}
