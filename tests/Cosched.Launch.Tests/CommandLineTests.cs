using System.Diagnostics;

namespace Cosched.Launch.Tests;

/// <summary>Every kind of bad command line: exit code 2, one line on stderr, no stack trace.</summary>
[Collection("launcher")]
public class CommandLineTests
{
    [Theory]
    [InlineData("run", "--", "true")]
    [InlineData("run", "-n", "0", "--", "true")]
    [InlineData("run", "-n", "-1", "--", "true")]
    [InlineData("run", "-n", "abc", "--", "true")]
    [InlineData("run", "-n", "2")]
    [InlineData("run", "-n", "2", "--channels", "carrier-pigeon", "--", "true")]
    [InlineData("run", "-n", "2", "--timeout", "-3", "--", "true")]
    [InlineData("run", "-n", "2", "--bind-to", "socket", "--", "true")]
    [InlineData("run", "-n", "2", "--frobnicate", "--", "true")]
    [InlineData("run", "-n", "2", "--", "/no/such/program")]
    [InlineData("run", "-n", "2", "--hosts", "0", "--", "true")]
    [InlineData("run", "-n", "2", "--vm-hosts", "0,1", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-hosts", "0", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-hosts", "0,2", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-hosts", "0,x", "--", "true")]
    [InlineData("run", "-n", "2", "--migrate", "rotate:1", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--migrate", "rotate:1", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--migrate", "rotate:0", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--migrate", "1:2:0", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--migrate", "1:1:2", "--", "true")]
    [InlineData("run", "-n", "2", "--vms", "2", "--hosts", "2", "--migrate", "soon:1:0", "--", "true")]
    [InlineData("bench", "pingpong", "-n", "2", "--vms", "2", "--hosts", "2", "--migrate", "1:1", "--timeseries")]
    [InlineData("migrate", "0badcafe", "--vm", "1", "--to-host", "0")]
    [InlineData("migrate", "0badcafe", "--vm", "1")]
    [InlineData("migrate", "--vm", "1", "--to-host", "0")]
    [InlineData("no-such-command")]
    public void BadUsageGivesOneLineAndExitCode2(params string[] arguments)
    {
        var result = Cli.Run(arguments);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("cosched: ", lines[0]);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("bench", "--help")]
    public void HelpNamesTheCommandUsersType(params string[] arguments)
    {
        var result = Cli.Run(arguments);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Usage:\s+cosched\b", result.Output);
        Assert.DoesNotContain("Cosched.Cli", result.Output);
    }

    [Fact]
    public void JobsListsARunningJobAndForgetsItAfterwards()
    {
        using var launcher = Cli.Start(["run", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-kind", "process", "--", "sleep", "30"]);
        _ = launcher.StandardOutput.ReadToEndAsync();
        var error = launcher.StandardError.ReadLine() ?? "";
        var job = System.Text.RegularExpressions.Regex.Match(error, "^cosched: job ([0-9a-f]{8}):").Groups[1].Value;
        Assert.NotEqual("", job);
        _ = launcher.StandardError.ReadToEndAsync();
        // The job is announced once its VMs exist and registered a moment later, with its control socket.
        var listed = Cli.Run("jobs");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !listed.Output.Contains(job) && DateTime.UtcNow < deadline; listed = Cli.Run("jobs"))
            Thread.Sleep(100);
        Assert.Equal(0, listed.ExitCode);
        Assert.Matches($@"(?m)^{job}\s+2\s+2\s+process\s+2\s+0:0,1:1\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+sleep 30$", listed.Output);
        Process.Start("kill", ["-TERM", launcher.Id.ToString()]).WaitForExit();
        Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(job, Cli.Run("jobs").Output);
    }
}
