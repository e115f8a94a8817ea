using Cosched.Messaging;
using Cosched.Workloads.Npb;
using Cosched.Workloads.Npb.Is;

namespace Cosched.Workloads.Tests.Npb;

public class IsTests
{
    private static NpbResult[] RunInProcess(int ranks, NpbClass problemClass)
    {
        var results = new NpbResult[ranks];
        InProcessJob.Run(ranks, world => results[world.Rank] = new IsKernel().Run(world, problemClass));
        return results;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ClassSPassesNpbsPartialAndFullVerification(int ranks)
    {
        var results = RunInProcess(ranks, NpbClass.S);
        Assert.All(results, r => Assert.True(r.Verified));
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal("65536", results[0].Size);
        Assert.Equal(10, results[0].Iterations);
        Assert.Equal(10.0 * 65536 / results[0].Seconds / 1e6, results[0].MopsTotal, 6);
    }

    [Fact]
    public void ClassWVerifiesOnTwoRanks() => Assert.True(RunInProcess(2, NpbClass.W)[0].Verified);

    [Fact]
    public void ExpectedRanksShiftByNpbsRulePerClass()
    {
        // is.c's table for class A, iteration 3: the first three test keys move up by 2, the others down by 2.
        var a = IsProblem.For(NpbClass.A);
        Assert.Equal([106, 17525, 123930, 8288930, 8388262], Enumerable.Range(0, 5).Select(t => a.ExpectedRank(t, 3)));
        var b = IsProblem.For(NpbClass.B);
        Assert.Equal([33422934, 10247, 59152, 33135278, 102], Enumerable.Range(0, 5).Select(t => b.ExpectedRank(t, 3)));
    }

    [Theory]
    [InlineData(NpbClass.S, 3, "IS needs a power-of-two rank count")]
    [InlineData(NpbClass.S, 256, "IS class S runs on at most 128 ranks")]
    [InlineData(NpbClass.A, 2048, "IS class A runs on at most 1024 ranks")]
    [InlineData(NpbClass.A, 1024, null)]
    public void RankCountsOutsideNpbsRulesAreRefused(NpbClass problemClass, int ranks, string? problem) =>
        Assert.Equal(problem, new IsKernel().RankCountProblem(problemClass, ranks));
}
