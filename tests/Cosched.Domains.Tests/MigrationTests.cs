using System.Diagnostics;
using System.Text.RegularExpressions;
using Cosched.Tests.Shared;

namespace Cosched.Domains.Tests;

/// <summary>Live migration through the command line: VMs rotate between two simulated hosts while
/// ranks storm each other and run collectives and NPB; `cosched jobs` and `cosched migrate` from a
/// second terminal; a rank killed and Ctrl-C during a move; nothing left afterwards. The namespace
/// provider needs root (these tests are skipped otherwise, and say so); the process provider runs anywhere.</summary>
[Collection("vms")]
public partial class MigrationTests
{
    [GeneratedRegex(@"^cosched: move \d+: vm \d+ host \d+ -> \d+: suspend [\d.]+ ms, move [\d.]+ ms, attach [\d.]+ ms, re-select [\d.]+ ms, total [\d.]+ ms, longest message wait [\d.]+ ms \(.+\)$", RegexOptions.Multiline)]
    private static partial Regex MoveLine();

    [RootTheory]
    [InlineData("namespace")]
    public void StormWhileVmsRotate(string kind) => Storm(kind);

    [Fact]
    public void StormWhileVmsRotateProcessProvider() => Storm("process");

    private static void Storm(string kind)
    {
        var result = Cli.Run(["run", "-n", "4", "--vms", "4", "--hosts", "2", "--vm-kind", kind, "--migrate", "rotate:0.3", "--", .. Cli.TestRank("storm", "3")]);
        Assert.True(result.ExitCode == 0, result.Error);
        var ok = Regex.Match(result.Output, @"storm ok: (\d+) rounds, (\d+) moves");
        Assert.True(ok.Success, result.Output + result.Error);
        int moves = MoveLine().Matches(result.Error).Count;
        Assert.True(moves >= 5, $"only {moves} moves in 3 s with rotate:0.3: {result.Error}");
        Assert.True(int.Parse(ok.Groups[2].Value) >= 5, "rank 0 did not hear of the moves");
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [RootFact]
    public void CollectivesStayCorrectWhileVmsRotate()
    {
        var result = Cli.Run(["run", "-n", "4", "--vms", "4", "--hosts", "2", "--vm-kind", "namespace", "--migrate", "rotate:0.3", "--", .. Cli.TestRank("collectives", "3")]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"collectives ok: \d+ rounds, \d+ moves", result.Output);
        Assert.True(MoveLine().Matches(result.Error).Count >= 5, result.Error);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [RootTheory]
    [InlineData("cg")]
    [InlineData("mg")]
    public void NpbVerifiesWhileVmsRotate(string kernel)
    {
        // Class S runs for a fraction of a second: a move every 20 ms (each takes about 15) keeps VMs
        // moving all through it, a harder case than the rotate:0.2 a user would ask for.
        var result = Cli.Run("npb", kernel, "--class", "S", "-n", "4", "--vms", "4", "--hosts", "2", "--vm-kind", "namespace", "--migrate", "rotate:0.02");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Verification    =               SUCCESSFUL", result.Output);
        Assert.True(MoveLine().Matches(result.Error).Count >= 1, $"no move during {kernel} class S: {result.Error}");
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [RootFact]
    public void MigrateFromASecondTerminal()
    {
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        try
        {
            using var launcher = StartStalling(dir, "namespace", out var job, out var error);
            var listed = Cli.Run("jobs");
            Assert.Equal(0, listed.ExitCode);
            Assert.Matches($@"(?m)^{job}\s+2\s+2\s+namespace\s+2\s+0:0,1:1\s", listed.Output);

            var moved = Cli.Run("migrate", job, "--vm", "1", "--to-host", "0");
            Assert.True(moved.ExitCode == 0, moved.Error);
            Assert.Matches(@"^move 1: vm 1 host 1 -> 0: suspend [\d.]+ ms, move [\d.]+ ms, attach [\d.]+ ms, re-select [\d.]+ ms, total [\d.]+ ms", moved.Output);
            Assert.Matches($@"(?m)^{job}\s.*\s0:0,1:0\s", Cli.Run("jobs").Output);

            var json = Cli.Run("migrate", job, "--vm", "1", "--to-host", "1", "--format", "json");
            Assert.True(json.ExitCode == 0, json.Error);
            Assert.Matches(@"^\{""move"":2,""vm"":1,""from"":0,""to"":1,.*""total_ms"":[\d.]+", json.Output);

            foreach (var (request, message) in new[]
            {
                (new[] { "migrate", job, "--vm", "5", "--to-host", "0" }, "VM 5 does not exist"),
                (new[] { "migrate", job, "--vm", "0", "--to-host", "7" }, "host 7 does not exist"),
                (new[] { "migrate", job, "--vm", "1", "--to-host", "1" }, "VM 1 is already on host 1"),
                (new[] { "migrate", "0badcafe", "--vm", "1", "--to-host", "0" }, "no running job '0badcafe'"),
                (new[] { "migrate", job, "--vm", "1" }, "--to-host"),
            })
                AssertBadRequest(Cli.Run(request), message);

            // A rank computing outside the runtime holds a move up; the requester hears which rank
            // after the deadline, the job goes on, and the move completes once the rank is back.
            File.WriteAllText(Path.Combine(dir, "stall"), "");
            WaitFor(Path.Combine(dir, "stalled"));
            var late = Cli.Run("migrate", job, "--vm", "0", "--to-host", "1");
            Assert.Equal(1, late.ExitCode);
            Assert.Matches(@"^cosched: move 3 of VM 0 to host 1 did not complete within 1 s: waiting for rank 1 to answer SUSPENDED; the job goes on", late.Error);
            AssertBadRequest(Cli.Run("migrate", job, "--vm", "1", "--to-host", "0"), "move 3 is already running (waiting for rank 1 to answer SUSPENDED)");
            File.WriteAllText(Path.Combine(dir, "resume"), "");
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(30)), "the job did not finish after the stall");
            launcher.WaitForExit();
            Assert.True(launcher.ExitCode == 0, error.ToString());
            Assert.Contains("stall ok", launcher.StandardOutput.ReadToEnd());
            Assert.Contains("move 3: vm 0 host 0 -> 1", error.ToString());

            AssertBadRequest(Cli.Run("migrate", job, "--vm", "1", "--to-host", "0"), $"no running job '{job}'");
            Assert.Empty(Cli.LeftoversAfterSettling(job));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootTheory]
    [InlineData("rank", "namespace")]
    [InlineData("SIGINT", "namespace")]
    public void KilledRankOrCtrlCDuringAMoveEndsTheJob(string victim, string kind) => EndDuringAMove(victim, kind);

    [Theory]
    [InlineData("rank")]
    [InlineData("SIGINT")]
    public void KilledRankOrCtrlCDuringAMoveEndsTheJobProcessProvider(string victim) => EndDuringAMove(victim, "process");

    private static void EndDuringAMove(string victim, string kind)
    {
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        try
        {
            using var launcher = StartStalling(dir, kind, out var job, out var error, deadlineSeconds: 30);
            var pids = Directory.GetFiles(dir, "rank*.pid").OrderBy(f => f).Select(f => int.Parse(File.ReadAllText(f))).ToArray();
            File.WriteAllText(Path.Combine(dir, "stall"), "");
            WaitFor(Path.Combine(dir, "stalled"));
            using var migrate = Cli.Start(["migrate", job, "--vm", "0", "--to-host", "1"]);
            var migrateError = migrate.StandardError.ReadToEndAsync();
            _ = migrate.StandardOutput.ReadToEndAsync();
            Thread.Sleep(500); // the move is under way: rank 1, computing, holds it in its first phase
            var clock = Stopwatch.StartNew();
            if (victim == "rank") Process.GetProcessById(pids[0]).Kill();
            else Process.Start("kill", ["-INT", launcher.Id.ToString()])!.WaitForExit();
            Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(10)), "the launcher did not end");
            launcher.WaitForExit();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the job took {clock.Elapsed.TotalSeconds:0.00} s to end");
            Assert.NotEqual(0, launcher.ExitCode);
            Assert.True(migrate.WaitForExit(TimeSpan.FromSeconds(10)), "cosched migrate did not return");
            migrate.WaitForExit();
            Assert.Equal(2, migrate.ExitCode);
            Assert.Single(migrateError.Result.Trim().Split('\n'));
            Assert.Empty(Cli.LeftoversAfterSettling(job));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Ctrl-C as a person types it, in a terminal (tmux), while a move waits for a computing
    /// rank: the job ends within 2 s with 130 and leaves nothing.</summary>
    [RootFact]
    public void CtrlCInATerminalDuringAMove()
    {
        if (HostSupport.FindTool("tmux") == null)
        {
            Console.WriteLine("skipped: CtrlCInATerminalDuringAMove needs tmux (CI installs it)");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        var session = $"csdtest{Environment.ProcessId}";
        try
        {
            var command = $"cd '{Cli.RepositoryRoot}' && COSCHED_MOVE_DEADLINE_S=30 ./cosched run -n 2 --vms 2 --hosts 2 --vm-kind namespace -- " +
                string.Join(' ', Cli.TestRank("stall", dir).Select(a => $"'{a}'")) + $" 2>'{dir}/err'; echo $? > '{dir}/rc'";
            Cli.Tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command);
            Cli.WaitUntil(() => Directory.GetFiles(dir, "rank*.pid").Length == 2, TimeSpan.FromSeconds(60));
            Thread.Sleep(200);
            var job = Cli.JobOf(File.ReadAllText(Path.Combine(dir, "err")));
            File.WriteAllText(Path.Combine(dir, "stall"), "");
            WaitFor(Path.Combine(dir, "stalled"));
            using var migrate = Cli.Start(["migrate", job, "--vm", "0", "--to-host", "1"]);
            _ = migrate.StandardError.ReadToEndAsync();
            _ = migrate.StandardOutput.ReadToEndAsync();
            Thread.Sleep(500);
            var clock = Stopwatch.StartNew();
            Cli.Tmux("send-keys", "-t", session, "C-c");
            WaitFor(Path.Combine(dir, "rc"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the job took {clock.Elapsed.TotalSeconds:0.00} s to end after Ctrl-C");
            Assert.Equal("130", File.ReadAllText(Path.Combine(dir, "rc")).Trim());
            Assert.True(migrate.WaitForExit(TimeSpan.FromSeconds(10)));
            migrate.WaitForExit();
            Assert.Equal(2, migrate.ExitCode);
            Assert.Empty(Cli.LeftoversAfterSettling(job));
        }
        finally
        {
            Cli.Tmux("kill-session", "-t", session);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts `stall DIR` on 2 ranks in 2 VMs on 2 hosts and waits until both ranks run.</summary>
    private static Process StartStalling(string dir, string kind, out string job, out System.Text.StringBuilder error, int deadlineSeconds = 1)
    {
        var info = new ProcessStartInfo(Path.Combine(Cli.RepositoryRoot, "cosched"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Cli.RepositoryRoot,
        };
        string[] arguments = ["run", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-kind", kind, "--", .. Cli.TestRank("stall", dir)];
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["COSCHED_MOVE_DEADLINE_S"] = deadlineSeconds.ToString();
        var launcher = Process.Start(info)!;
        var text = new System.Text.StringBuilder();
        var announced = new TaskCompletionSource<string>();
        launcher.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (text) text.AppendLine(e.Data);
            if (Regex.Match(e.Data, "^cosched: job ([0-9a-f]{8}):") is { Success: true } m) announced.TrySetResult(m.Groups[1].Value);
        };
        launcher.BeginErrorReadLine();
        Assert.True(announced.Task.Wait(TimeSpan.FromSeconds(60)), "the launcher announced no job");
        job = announced.Task.Result;
        error = text;
        Cli.WaitUntil(() => Directory.GetFiles(dir, "rank*.pid").Length == 2, TimeSpan.FromSeconds(60));
        Thread.Sleep(200); // the pid files are written just before the ranks' first collective
        return launcher;
    }

    private static void AssertBadRequest(CoschedCli.Result result, string message)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private static void WaitFor(string file) => Cli.WaitUntil(() => File.Exists(file), TimeSpan.FromSeconds(30));

}
