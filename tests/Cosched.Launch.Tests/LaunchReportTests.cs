using System.Text.Json;
using Cosched.Domains;

namespace Cosched.Launch.Tests;

/// <summary>--launch-report: one line of JSON that says where the launcher put a job, for programs
/// that drive cosched.</summary>
[Collection("launcher")]
public sealed class LaunchReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("launch-report-").FullName;

    private string ReportPath => Path.Combine(_directory, "launch.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NativeRunWritesOneLineOfJsonReadableOnlyByItsOwner()
    {
        var result = Cli.Run(["run", "-n", "2", "--launch-report", ReportPath, "--", .. Cli.TestRank("hello")]);
        Assert.Equal(0, result.ExitCode);
        var report = ReadReport();
        Assert.Equal("cosched", report.GetProperty("launcher").GetString());
        Assert.Matches("^[0-9a-f]{8}$", report.GetProperty("job").GetString());
        Assert.Equal(2, report.GetProperty("ranks").GetInt32());
        Assert.Equal(0, report.GetProperty("vms").GetInt32());
        Assert.Equal("native", report.GetProperty("vm_kind").GetString());
        Assert.False(report.GetProperty("emulation").GetBoolean());
        var placement = report.GetProperty("placement").EnumerateArray().ToArray();
        Assert.Equal([0, 1], placement.Select(p => p.GetProperty("rank").GetInt32()));
        Assert.All(placement, p => Assert.Equal(-1, p.GetProperty("vm").GetInt32()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ReportPath));
        Assert.Equal(["launch.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void ScatteredRanksInTwoVmsAreReportedWithTheirProviderAndCores()
    {
        var result = Cli.Run(["run", "-n", "4", "--vms", "2", "--channels", "per-vm", "--pin", "scatter", "--launch-report", ReportPath,
            "--", .. Cli.TestRank("hello")]);
        Assert.Equal(0, result.ExitCode);
        var report = ReadReport();
        var provider = VmKinds.Resolve(VmKind.Auto); // namespace as root, else the process provider
        Assert.Equal(provider.Name(), report.GetProperty("vm_kind").GetString());
        Assert.Equal(provider == VmKind.Process, report.GetProperty("emulation").GetBoolean());
        Assert.Equal(2, report.GetProperty("vms").GetInt32());
        Assert.Equal("scatter", report.GetProperty("pin").GetString());
        Assert.Equal("per-vm", report.GetProperty("channels").GetString());
        int cores = report.GetProperty("cores").GetInt32();
        Assert.Equal(CoreBinding.AllowedCores().Length, cores);
        Assert.Equal(4 > cores, report.GetProperty("oversubscribed").GetBoolean());
        Assert.Equal(4 <= cores, report.GetProperty("bound").GetBoolean());
        var placement = report.GetProperty("placement").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 0, 1], placement.Select(p => p.GetProperty("vm").GetInt32()));
        Assert.All(placement, p => Assert.All(p.GetProperty("cores").EnumerateArray(),
            core => Assert.Contains(core.GetInt32(), CoreBinding.AllowedCores())));
    }

    /// <summary>Native ranks on two simulated hosts: each host's ranks share its segment and its
    /// cores; between hosts the channel is tcp.</summary>
    [Fact]
    public void NativeRanksOnTwoHostsUseTcpBetweenThemAndTheirHostsCores()
    {
        var result = Cli.Run(["run", "-n", "4", "--hosts", "2", "--report-bindings", "--launch-report", ReportPath, "--", .. Cli.TestRank("hello")]);
        Assert.True(result.ExitCode == 0, result.Error);
        var report = ReadReport();
        Assert.Equal(2, report.GetProperty("hosts").GetInt32());
        var placement = report.GetProperty("placement").EnumerateArray().ToArray();
        Assert.Equal([0, 0, 1, 1], placement.Select(p => p.GetProperty("host").GetInt32()));
        int cores = CoreBinding.AllowedCores().Length;
        Assert.Equal(cores < 2, report.GetProperty("hosts_share_cores").GetBoolean());
        if (cores >= 2)
            Assert.Empty(placement[0].GetProperty("cores").EnumerateArray().Select(c => c.GetInt32())
                .Intersect(placement[2].GetProperty("cores").EnumerateArray().Select(c => c.GetInt32())));
        // Rank r's line names the channel to r+1: shm inside a host, tcp from host 0 to host 1.
        Assert.Contains("rank 0 of 4 via shm", result.Output);
        Assert.Contains("rank 1 of 4 via tcp", result.Output);
        Assert.Contains("rank 2 of 4 via shm", result.Output);
        Assert.Matches(@"cosched: rank 2 -> host 1 -> (core|cores) \d", result.Error);
    }

    [Fact]
    public void BenchWritesTheReportToo()
    {
        var result = Cli.Run(["bench", "barrier", "-n", "2", "--msglog", "0:0", "--time", "0.01", "--format", "json", "--launch-report", ReportPath]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, ReadReport().GetProperty("ranks").GetInt32());
    }

    [Fact]
    public void ReportIntoAMissingDirectoryIsAUsageError()
    {
        var result = Cli.Run(["run", "-n", "2", "--launch-report", Path.Combine(_directory, "no-such-directory", "launch.json"), "--", "true"]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cosched: --launch-report", line);
    }

    /// <summary>The report, checked to be exactly one JSON object and a newline.</summary>
    private JsonElement ReadReport()
    {
        var text = File.ReadAllText(ReportPath);
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain('\n', text[..^1]);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }
}
