using System.Text.Json;

namespace Cosched.Workloads.Tests.Npb;

/// <summary>`cosched npb` as a user runs it: the CLI launches real rank processes of itself.</summary>
public class NpbCommandTests
{
    private static CliProcess.Result Cosched(params string[] args) => CliProcess.Cosched(TimeSpan.FromSeconds(90), args);

    [Fact]
    public void TextReportHasNpbsFieldsAndSaysSuccessful()
    {
        var (code, output, error) = Cosched("npb", "is", "--class", "S", "-n", "2");
        Assert.True(code == 0, error);
        Assert.Contains(" IS Benchmark Completed.\n", output);
        Assert.Contains(" Class           =                        S\n", output);
        Assert.Contains(" Size            =                    65536\n", output);
        Assert.Contains(" Iterations      =                       10\n", output);
        Assert.Contains(" Total processes =                        2\n", output);
        Assert.Matches(@" Time in seconds = +\d+\.\d\d\n", output);
        Assert.Matches(@" Mop/s total     = +\d+\.\d\d\n", output);
        Assert.Matches(@" Mop/s/process   = +\d+\.\d\d\n", output);
        Assert.Contains(" Verification    =               SUCCESSFUL\n", output);
    }

    [Fact]
    public void JsonCarriesTheSameFieldsForTheStudy()
    {
        var (code, output, error) = Cosched("npb", "cg", "--class", "S", "-n", "2", "--format", "json");
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("cg", json.GetProperty("benchmark").GetString());
        Assert.Equal("S", json.GetProperty("class").GetString());
        Assert.Equal("1400", json.GetProperty("size").GetString());
        Assert.Equal(15, json.GetProperty("iterations").GetInt32());
        Assert.Equal(2, json.GetProperty("processes").GetInt32());
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(json.GetProperty("mops_total").GetDouble() / 2, json.GetProperty("mops_per_process").GetDouble(), 9);
        Assert.True(json.GetProperty("verified").GetBoolean());
    }

    [Theory]
    [InlineData("per-vm", "tcp")]
    [InlineData("locality", "shm")]
    public void TwoRanksInTwoVmsVerifyOverEitherChannelPolicy(string policy, string channel)
    {
        // As root the VMs are network namespaces; otherwise the process provider emulates them.
        var (code, output, error) = Cosched("npb", "ep", "--class", "S", "-n", "2", "--vms", "2", "--channels", policy, "--report-bindings");
        Assert.True(code == 0, error);
        Assert.Contains(" Verification    =               SUCCESSFUL\n", output);
        Assert.Contains($"channels: 1={channel}", error);
        Assert.Contains($"channels: 0={channel}", error);
    }

    [Theory]
    [InlineData(new[] { "npb", "ep", "--class", "Q", "-n", "1" }, "cosched: unknown class 'Q' (expected one of: S, W, A, B, C)")]
    [InlineData(new[] { "npb", "cg", "--class", "S", "-n", "3" }, "cosched: cg class S cannot run on 3 ranks: CG needs a power-of-two rank count")]
    [InlineData(new[] { "npb", "is", "--class", "S", "-n", "6" }, "cosched: is class S cannot run on 6 ranks: IS needs a power-of-two rank count")]
    [InlineData(new[] { "npb", "ep", "--class", "S", "-n", "257" }, "cosched: ep class S cannot run on 257 ranks: EP class S has 256 batches of random numbers, so at most 256 ranks")]
    public void BadClassOrRankCountIsOneLineAndExitCodeTwo(string[] args, string message)
    {
        var (code, output, error) = Cosched(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(message + "\n", error);
    }
}
