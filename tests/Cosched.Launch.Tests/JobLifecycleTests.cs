using System.Diagnostics;

namespace Cosched.Launch.Tests;

/// <summary>Jobs start, talk, fail and end as a user of mpirun expects, and leave nothing behind.</summary>
[Collection("launcher")]
public class JobLifecycleTests
{
    [Theory]
    [InlineData("locality", "shm")]
    [InlineData("network", "tcp")]
    public void RanksFindEachOtherAndUseThePolicysTransport(string policy, string transport)
    {
        var result = Cli.Run(["run", "-n", "3", "--channels", policy, "--", .. Cli.TestRank("hello")]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
        Assert.Equal([$"rank 0 of 3 via {transport}", $"rank 1 of 3 via {transport}", $"rank 2 of 3 via {transport}"], lines);
    }

    [Theory]
    [InlineData("locality")]
    [InlineData("network")]
    public void OversubscribedRingExchangeCompletes(string policy)
    {
        var result = Cli.Run(["run", "-n", "6", "--channels", policy, "--", .. Cli.TestRank("exchange")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("exchange ok", result.Output);
        Assert.Empty(Cli.LeftoverFiles(result.Error));
    }

    [Fact]
    public void TagOutputPrefixesEveryLineWithTheRank()
    {
        var result = Cli.Run(["run", "-n", "2", "--tag-output", "--", .. Cli.TestRank("hello")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\[[0-9a-f]+,0\]<stdout>: rank 0 of 2", result.Output);
        Assert.Matches(@"\[[0-9a-f]+,1\]<stdout>: rank 1 of 2", result.Output);
    }

    [Fact]
    public void FailingRanksExitCodeIsTheJobsAndTheOthersAreEnded()
    {
        var result = Cli.Run(TimeSpan.FromSeconds(60), ["run", "-n", "3", "--", .. Cli.TestRank("exit", "2", "7")]);
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("rank 2 exited with code 7", result.Error);
        Assert.Empty(Cli.LeftoverFiles(result.Error));
    }

    [Fact]
    public void StartingTwoRanksOfNothingIsFast()
    {
        Cli.Run("run", "-n", "2", "--", "true"); // warm the build
        var result = Cli.Run("run", "-n", "2", "--", "true");
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(2), $"took {result.Elapsed}");
    }

    [Fact]
    public void TimeLimitEndsTheJob()
    {
        var result = Cli.Run(["run", "-n", "2", "--timeout", "1", "--", "sleep", "30"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("time limit", result.Error);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void KilledRankEndsTheWholeJobWithinTwoSeconds()
    {
        var pids = Directory.CreateTempSubdirectory("pids-").FullName;
        try
        {
            using var launcher = Cli.Start(["run", "-n", "4", "--", .. Cli.TestRank("forever", pids)]);
            var stderr = launcher.StandardError.ReadToEndAsync();
            var rankPids = WaitForPids(pids, 4);
            Assert.Equal(0, Signal(rankPids[1], "KILL"));
            var killedAt = Stopwatch.StartNew();
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(10)), "launcher did not end");
            Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(2), $"job took {killedAt.Elapsed} to end");
            Assert.NotEqual(0, launcher.ExitCode);
            Assert.Contains("rank 1 was killed by signal 9 (SIGKILL)", stderr.Result);
            Assert.All(rankPids, pid => Assert.False(Alive(pid), $"rank process {pid} is still alive"));
            Assert.Empty(Cli.LeftoverFiles(stderr.Result));
        }
        finally
        {
            Directory.Delete(pids, true);
        }
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public void SignalledLauncherEndsEveryRankAndRemovesItsFiles(string signal, int expected)
    {
        var pids = Directory.CreateTempSubdirectory("pids-").FullName;
        try
        {
            using var launcher = Cli.Start(["run", "-n", "3", "--", .. Cli.TestRank("forever", pids)]);
            var stderr = launcher.StandardError.ReadToEndAsync();
            var rankPids = WaitForPids(pids, 3);
            Assert.Equal(0, Signal(launcher.Id, signal));
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(10)), "launcher did not end");
            Assert.Equal(expected, launcher.ExitCode);
            Assert.All(rankPids, pid => Assert.False(Alive(pid), $"rank process {pid} is still alive"));
            Assert.Empty(Cli.LeftoverFiles(stderr.Result));
        }
        finally
        {
            Directory.Delete(pids, true);
        }
    }

    private static int[] WaitForPids(string directory, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var files = Directory.GetFiles(directory, "rank*.pid");
            if (files.Length == count)
            {
                try
                {
                    return files.Order().Select(f => int.Parse(File.ReadAllText(f))).ToArray();
                }
                catch (FormatException)
                {
                }
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("ranks did not start");
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    private static int Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString()]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
