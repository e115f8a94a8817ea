using System.Diagnostics;

namespace Cosched.Domains.Tests;

/// <summary>After any kind of exit a job leaves no namespace, link, cgroup, file or process;
/// `cosched clean` removes what a SIGKILLed launcher left.</summary>
[Collection("vms")]
public class TeardownTests
{
    [RootFact]
    public void SuccessLeavesNothing()
    {
        var result = Cli.Run(["run", "-n", "4", "--vms", "2", "--vm-kind", "namespace", "--", .. Cli.TestRank("exchange")]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [Theory]
    [InlineData("namespace")]
    [InlineData("process")]
    public void FailingRankLeavesNothing(string kind)
    {
        if (kind == "namespace" && !Cli.IsRoot) return;
        var result = Cli.Run(["run", "-n", "4", "--vms", "2", "--vm-kind", kind, "--", .. Cli.TestRank("exit", "2", "7")]);
        Assert.Equal(7, result.ExitCode);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [Theory]
    [InlineData("rank", "namespace")]
    [InlineData("SIGINT", "namespace")]
    [InlineData("SIGTERM", "namespace")]
    [InlineData("rank", "process")]
    [InlineData("SIGINT", "process")]
    [InlineData("SIGTERM", "process")]
    public void KilledRankOrSignalledLauncherLeavesNothing(string victim, string kind)
    {
        if (kind == "namespace" && !Cli.IsRoot) return;
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        try
        {
            using var launcher = Cli.Start(["run", "-n", "4", "--vms", "2", "--vm-kind", kind, "--", .. Cli.TestRank("forever", dir)]);
            var error = launcher.StandardError.ReadToEndAsync();
            _ = launcher.StandardOutput.ReadToEndAsync();
            var pids = WaitForPids(dir, 4);
            if (victim == "rank") Process.GetProcessById(pids[3]).Kill();
            else Signal(launcher.Id, victim);
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(30)), "the launcher did not end");
            launcher.WaitForExit();
            Assert.NotEqual(0, launcher.ExitCode);
            Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(error.Result)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void CleanRemovesWhatASigkilledLauncherLeft()
    {
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        try
        {
            using var launcher = Cli.Start(["run", "-n", "2", "--vms", "2", "--vm-kind", "namespace", "--", .. Cli.TestRank("forever", dir)]);
            var job = ReadJobLine(launcher);
            WaitForPids(dir, 2);
            launcher.Kill(); // SIGKILL: no teardown at all
            launcher.WaitForExit();
            Assert.NotEmpty(Cli.Leftovers(job));
            var clean = Cli.Run("clean");
            Assert.Equal(0, clean.ExitCode);
            Assert.Contains($"cosched-{job}-vm0", clean.Output);
            Assert.Empty(Cli.LeftoversAfterSettling(job));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CleanLeavesRunningJobsAlone()
    {
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        try
        {
            var kind = Cli.IsRoot ? "namespace" : "process";
            using var launcher = Cli.Start(["run", "-n", "2", "--vms", "2", "--vm-kind", kind, "--", .. Cli.TestRank("forever", dir)]);
            var job = ReadJobLine(launcher);
            var pids = WaitForPids(dir, 2);
            Assert.Equal(0, Cli.Run("clean").ExitCode);
            Assert.All(pids, pid => Assert.False(Process.GetProcessById(pid).HasExited));
            Signal(launcher.Id, "SIGTERM");
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Empty(Cli.LeftoversAfterSettling(job));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string ReadJobLine(Process launcher)
    {
        _ = launcher.StandardOutput.ReadToEndAsync();
        while (launcher.StandardError.ReadLine() is { } line)
            if (line.StartsWith("cosched: job ", StringComparison.Ordinal))
            {
                _ = launcher.StandardError.ReadToEndAsync();
                return Cli.JobOf(line);
            }
        throw new Xunit.Sdk.XunitException("the launcher announced no job");
    }

    private static int[] WaitForPids(string dir, int ranks)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var files = Directory.GetFiles(dir, "rank*.pid");
            if (files.Length == ranks)
            {
                try { return files.Select(f => int.Parse(File.ReadAllText(f))).ToArray(); }
                catch (FormatException) { }
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("ranks did not start");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal.Replace("SIG", ""), pid.ToString()]);
        kill.WaitForExit();
    }
}
