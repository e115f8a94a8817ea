using System.Numerics;
using System.Text.Json;
using Cosched.Messaging;
using Cosched.Workloads.Npb;
using Cosched.Workloads.Npb.Ft;

namespace Cosched.Workloads.Tests.Npb;

/// <summary>NPB FT: its FFT against a plain DFT, NPB's published checksums on 1, 2 and 4 ranks, and
/// the `cosched npb ft` command as users run it.</summary>
public class FtTests
{
    private static NpbResult RunInProcess(INpbKernel kernel, NpbClass problemClass, int ranks, ChannelPolicy policy = ChannelPolicy.Locality)
    {
        var results = new NpbResult[ranks];
        InProcessJob.Run(ranks, world => results[world.Rank] = kernel.Run(world, problemClass), policy, TimeSpan.FromSeconds(120));
        Assert.All(results, r => Assert.Equal(results[0].Verified, r.Verified));
        return results[0];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ClassS_matches_NPB_checksums(int ranks)
    {
        var result = RunInProcess(new FtKernel(), NpbClass.S, ranks);
        Assert.True(result.Verified, $"FT class S on {ranks} ranks did not reproduce NPB's checksums");
        Assert.Equal(("FT", "64x64x64", 6, ranks), (result.Benchmark, result.Size, result.Iterations, result.Processes));
        Assert.True(result.MopsTotal > 0);
    }

    [Fact]
    public void ClassW_matches_NPB_checksums_on_two_ranks_over_tcp()
    {
        var result = RunInProcess(new FtKernel(), NpbClass.W, 2, ChannelPolicy.Network);
        Assert.True(result.Verified);
        Assert.Equal("128x128x32", result.Size);
    }

    [Fact]
    public void Verification_rejects_a_checksum_off_by_more_than_NPB_allows()
    {
        var problem = FtProblem.For(NpbClass.S);
        var exact = problem.ReferenceChecksums.ToArray();
        Assert.True(problem.Verify(exact));
        var off = exact.ToArray();
        off[5] *= 1 + 1e-11;
        Assert.False(problem.Verify(off));
        Assert.False(problem.Verify(exact.AsSpan(0, 5)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void Stockham_transform_equals_the_plain_DFT_on_every_lane(int log)
    {
        int n = 1 << log, lanes = StockhamFft.Lanes;
        var fft = new StockhamFft(64);
        var random = new Random(log);
        var input = new Complex[lanes, n];
        double[] re = new double[lanes * n], im = new double[lanes * n], workRe = new double[lanes * n], workIm = new double[lanes * n];
        for (int j = 0; j < lanes; j++)
            for (int t = 0; t < n; t++)
            {
                input[j, t] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
                re[j + lanes * t] = input[j, t].Real;
                im[j + lanes * t] = input[j, t].Imaginary;
            }
        foreach (int direction in new[] { 1, -1 })
        {
            double[] r = (double[])re.Clone(), i = (double[])im.Clone();
            fft.Transform(direction, log, r, i, workRe, workIm);
            for (int j = 0; j < lanes; j++)
                for (int k = 0; k < n; k++)
                {
                    // NPB's sign convention: forward is exp(+2 pi i t k / n).
                    Complex expected = 0;
                    for (int t = 0; t < n; t++)
                        expected += input[j, t] * Complex.FromPolarCoordinates(1, direction * 2 * Math.PI * t * k / n);
                    Assert.Equal(expected.Real, r[j + lanes * k], 1e-12);
                    Assert.Equal(expected.Imaginary, i[j + lanes * k], 1e-12);
                }
        }
    }

    [Fact]
    public void Rank_counts_follow_NPB_rules()
    {
        var ft = new FtKernel();
        Assert.Null(ft.RankCountProblem(NpbClass.S, 1));
        Assert.Null(ft.RankCountProblem(NpbClass.A, 128));
        Assert.Contains("power-of-two", ft.RankCountProblem(NpbClass.S, 6));
        Assert.Contains("at most 32 ranks", ft.RankCountProblem(NpbClass.W, 64));
        Assert.Equal(2.0 * ft.BytesPerRank(NpbClass.C, 2), ft.BytesPerRank(NpbClass.C, 1), 1e-3 * ft.BytesPerRank(NpbClass.C, 1));
        Assert.True(ft.BytesPerRank(NpbClass.C, 1) > 7L << 30, "class C holds 3 complex grids and a real one of 512^3");
    }

    [Fact]
    public void Command_prints_NPB_report_and_json()
    {
        var text = Npb("ft", "--class", "S", "-n", "2");
        Assert.True(text.Code == 0, text.Error);
        Assert.Contains(" FT Benchmark Completed.", text.Output);
        Assert.Contains(" Class           =                        S\n", text.Output);
        Assert.Contains(" Size            =                 64x64x64\n", text.Output);
        Assert.Contains(" Total processes =                        2\n", text.Output);
        Assert.Contains(" Verification    =               SUCCESSFUL\n", text.Output);

        var json = Npb("ft", "--class", "S", "-n", "1", "--format", "json");
        Assert.True(json.Code == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        var root = document.RootElement;
        Assert.Equal("ft", root.GetProperty("benchmark").GetString());
        Assert.True(root.GetProperty("verified").GetBoolean());
        Assert.Equal(6, root.GetProperty("iterations").GetInt32());
        Assert.True(root.GetProperty("mops_total").GetDouble() > 0);
    }

    [Theory]
    [InlineData("per-vm")]
    [InlineData("locality")]
    public void Two_ranks_in_two_vms_verify(string channels)
    {
        // Namespace VMs need root; the process provider stands in for them otherwise.
        string kind = Environment.UserName == "root" ? "namespace" : "process";
        var result = Npb("ft", "--class", "S", "-n", "2", "--vms", "2", "--vm-kind", kind, "--channels", channels, "--format", "json");
        Assert.True(result.Code == 0, result.Error);
        using var document = JsonDocument.Parse(result.Output);
        Assert.True(document.RootElement.GetProperty("verified").GetBoolean());
    }

    [Theory]
    [InlineData("ft", "--class", "S", "-n", "3")]
    [InlineData("ft", "--class", "W", "-n", "64")]
    [InlineData("ft", "--class", "Q", "-n", "2")]
    public void Bad_class_or_rank_count_is_one_line_and_exit_two(params string[] arguments)
    {
        var result = Npb(arguments);
        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Output);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("cosched: ", lines[0]);
    }

    /// <summary>`cosched npb ...` as a user runs it: the CLI launches real rank processes of itself.</summary>
    internal static CliProcess.Result Npb(params string[] arguments) => CliProcess.Cosched(TimeSpan.FromSeconds(120), ["npb", .. arguments]);
}
