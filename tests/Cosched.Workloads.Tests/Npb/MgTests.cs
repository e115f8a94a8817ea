using System.Text.Json;
using Cosched.Messaging;
using Cosched.Workloads.Npb;
using Cosched.Workloads.Npb.Mg;

namespace Cosched.Workloads.Tests.Npb;

/// <summary>NPB MG: its decomposition, NPB's published residual norm on 1 to 16 ranks (16 brings in
/// coarse levels with empty ranks), and the `cosched npb mg` command as users run it.</summary>
public class MgTests
{
    private static NpbResult RunInProcess(NpbClass problemClass, int ranks, ChannelPolicy policy = ChannelPolicy.Locality)
    {
        var results = new NpbResult[ranks];
        InProcessJob.Run(ranks, world => results[world.Rank] = new MgKernel().Run(world, problemClass), policy, TimeSpan.FromSeconds(120));
        Assert.All(results, r => Assert.Equal(results[0].Verified, r.Verified));
        return results[0];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public void ClassS_matches_NPB_residual_norm(int ranks)
    {
        var result = RunInProcess(NpbClass.S, ranks);
        Assert.True(result.Verified, $"MG class S on {ranks} ranks did not reproduce NPB's residual norm");
        Assert.Equal(("MG", "32x32x32", 4, ranks), (result.Benchmark, result.Size, result.Iterations, result.Processes));
    }

    [Fact]
    public void ClassW_matches_NPB_residual_norm_on_two_ranks_over_tcp()
    {
        var result = RunInProcess(NpbClass.W, 2, ChannelPolicy.Network);
        Assert.True(result.Verified);
        Assert.Equal("128x128x128", result.Size);
    }

    [Fact]
    public void Verification_uses_NPB_tolerance()
    {
        var problem = MgProblem.For(NpbClass.A);
        Assert.True(problem.Verify(0.2433365309069e-05 * (1 + 0.9e-8)));
        Assert.False(problem.Verify(0.2433365309069e-05 * (1 + 1.1e-8)));
        Assert.False(problem.Verify(double.NaN));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(64)]
    public void Every_level_is_covered_once_and_neighbours_agree(int ranks)
    {
        var problem = MgProblem.For(NpbClass.S);
        var all = Enumerable.Range(0, ranks).Select(rank => new MgDecomposition(problem, ranks, rank)).ToArray();
        for (int level = 1; level <= problem.Levels; level++)
        {
            long points = 0;
            foreach (var d in all)
                points += (long)(d.Extent[0, level] - 2) * (d.Extent[1, level] - 2) * (d.Extent[2, level] - 2);
            long side = problem.Size >> (problem.Levels - level);
            Assert.Equal(side * side * side, points);
            foreach (var d in all.Where(d => !d.Dead[level]))
                for (int axis = 0; axis < 3; axis++)
                {
                    var high = all[d.Neighbour[axis, 1, level]];
                    Assert.False(high.Dead[level]);
                    Assert.Equal(d.Rank, high.Neighbour[axis, 0, level]);
                }
        }
        Assert.Equal(ranks, all[0].RanksPerAxis.Aggregate(1, (a, b) => a * b));
    }

    [Fact]
    public void Rank_counts_follow_NPB_rules_and_memory_is_told()
    {
        var mg = new MgKernel();
        Assert.Null(mg.RankCountProblem(NpbClass.S, 16));
        Assert.Contains("power-of-two", mg.RankCountProblem(NpbClass.S, 12));
        // Class C: u and r over all levels (8/7 of the finest) plus v: about 3.3 GiB on one rank.
        long bytes = mg.BytesPerRank(NpbClass.C, 1);
        Assert.InRange(bytes, 3.2 * (1L << 30), 3.5 * (1L << 30));
    }

    [Fact]
    public void Command_prints_NPB_report_and_json()
    {
        var text = FtTests.Npb("mg", "--class", "S", "-n", "2");
        Assert.True(text.Code == 0, text.Error);
        Assert.Contains(" MG Benchmark Completed.", text.Output);
        Assert.Contains(" Size            =                 32x32x32\n", text.Output);
        Assert.Contains(" Iterations      =                        4\n", text.Output);
        Assert.Contains(" Verification    =               SUCCESSFUL\n", text.Output);

        var json = FtTests.Npb("mg", "--class", "S", "-n", "4", "--format", "json");
        Assert.True(json.Code == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("mg", document.RootElement.GetProperty("benchmark").GetString());
        Assert.Equal(4, document.RootElement.GetProperty("processes").GetInt32());
        Assert.True(document.RootElement.GetProperty("verified").GetBoolean());
    }

    [Theory]
    [InlineData("per-vm")]
    [InlineData("locality")]
    public void Two_ranks_in_two_vms_verify(string channels)
    {
        // Namespace VMs need root; the process provider stands in for them otherwise.
        string kind = Environment.UserName == "root" ? "namespace" : "process";
        var result = FtTests.Npb("mg", "--class", "S", "-n", "2", "--vms", "2", "--vm-kind", kind, "--channels", channels, "--format", "json");
        Assert.True(result.Code == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.True(document.RootElement.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public void Rank_count_that_is_not_a_power_of_two_is_one_line_and_exit_two()
    {
        var result = FtTests.Npb("mg", "--class", "S", "-n", "6");
        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Output);
        Assert.Equal("cosched: mg class S cannot run on 6 ranks: MG needs a power-of-two number of ranks\n", result.Error);
    }
}
