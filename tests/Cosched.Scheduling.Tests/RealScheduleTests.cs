using System.Diagnostics;
using System.Text.Json;
using Cosched.Domains;
using Cosched.Scheduling.Metrics;
using Cosched.Tests.Shared;

namespace Cosched.Scheduling.Tests;

/// <summary>`cosched schedule run` end to end: real jobs in VMs on this machine's hosts, moved by the
/// policy, every job verified, the results, the calibration and the report written, nothing left.
/// Namespace VMs as root; the process emulation otherwise (the launcher says which).</summary>
public class RealScheduleTests
{
    private const string Profiles = """
        {"applications": [
          {"name": "mg.W", "command": "npb mg --class W", "run_seconds": {"1": 2.5, "2": 1.5}, "bandwidth": 0.7, "split_overhead": {}},
          {"name": "ep.S", "command": "npb ep --class S", "run_seconds": {"1": 0.6, "2": 0.4}, "bandwidth": 0.02, "split_overhead": {}}],
         "co_runs": [], "migration_seconds": 0.5, "machine": "hand-made for a test"}
        """;

    private static string Queue(params (string Name, string Command, int Ranks, double Submit)[] jobs) =>
        JsonSerializer.Serialize(new { jobs = jobs.Select(j => new { name = j.Name, command = j.Command, ranks = j.Ranks, submit_s = j.Submit }) });

    private static CoschedCli.Result Schedule(string dir, string queue, params string[] options)
    {
        File.WriteAllText(Path.Combine(dir, "profiles.json"), Profiles);
        File.WriteAllText(Path.Combine(dir, "queue.json"), queue);
        return CoschedCli.Run(TimeSpan.FromMinutes(3), ["schedule", "run", Path.Combine(dir, "queue.json"), "--profiles", Path.Combine(dir, "profiles.json"),
            "--out", Path.Combine(dir, "out"), .. options]);
    }

    private static ScheduleResult Result(string dir, string policy) => MetricsJson.ReadResult(Path.Combine(dir, "out", $"real-{policy}.json"));

    /// <summary>The job ids the launchers reported, to look for what they might have left.</summary>
    private static IEnumerable<string> JobIds(string dir, string policy) =>
        Directory.GetFiles(Path.Combine(dir, "out", policy, "jobs"), "*.launch.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("job").GetString()!);

    private static void NothingLeft(string dir, string policy)
    {
        foreach (var job in JobIds(dir, policy)) Assert.Empty(HostLeftovers.AfterSettling(job));
    }

    [Fact]
    public void Poncos_swaps_a_memory_bound_VM_by_live_migration_and_every_job_verifies()
    {
        // Two hosts of 2 cores on this 2-core machine (the ranks share cores: a test of the
        // mechanism, not a measurement). Poncos packs mg1 and mg2 on host 0 (bandwidth 1.4 > 0.9),
        // the ep jobs on host 1, then swaps mg1 and ep1 by two live migrations.
        var dir = Directory.CreateTempSubdirectory("csdsched").FullName;
        try
        {
            var r = Schedule(dir, Queue(("mg1", "npb mg --class W", 1, 0), ("mg2", "npb mg --class W", 1, 0), ("ep1", "npb ep --class S", 1, 0), ("ep2", "npb ep --class S", 1, 0)),
                "--hosts", "2", "--cores-per-host", "2", "--policy", "poncos", "--format", "json");
            Assert.True(r.ExitCode == 0, r.Error);
            Assert.Contains("ranks share cores", r.Error);
            using (var line = JsonDocument.Parse(r.Output.Trim()))
                foreach (var name in new[] { "makespan_s", "utilisation", "mean_wait_s", "p95_wait_s", "mean_bounded_slowdown", "jobs_per_hour", "migrations" })
                    Assert.True(line.RootElement.TryGetProperty(name, out _), $"no {name} in {r.Output}");
            var result = Result(dir, "poncos");
            Assert.Equal(4, result.Jobs.Count);
            Assert.Equal(2, result.Metrics.Migrations);
            foreach (var job in result.Jobs)
            {
                Assert.Null(job.Error);
                Assert.Contains("SUCCESSFUL", File.ReadAllText(Path.Combine(dir, "out", "poncos", "jobs", $"{job.Name}.out")));
            }
            foreach (var (name, to) in new[] { ("mg1", 1), ("ep1", 0) })
            {
                var job = result.Jobs.Single(j => j.Name == name);
                Assert.Equal(1, job.Moves);
                Assert.Equal(to, job.Placements[^1].Vms[0].Host);
                var move = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "poncos", "jobs", $"{name}.move-0-to-{to}.json"))).RootElement;
                Assert.Equal(to, move.GetProperty("to").GetInt32());
            }
            NothingLeft(dir, "poncos");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Exclusive_and_share_run_a_queue_on_two_hosts_with_the_simulators_error_and_a_report()
    {
        var dir = Directory.CreateTempSubdirectory("csdsched").FullName;
        try
        {
            var r = Schedule(dir, Queue(("a", "npb ep --class S", 1, 0), ("b", "npb ep --class S", 2, 0), ("c", "npb ep --class S", 1, 0.5)),
                "--hosts", "2", "--policy", "exclusive,share");
            Assert.True(r.ExitCode == 0, r.Error);
            Assert.Contains("sim_error", r.Output);
            foreach (var policy in new[] { "exclusive", "share" })
            {
                var result = Result(dir, policy);
                Assert.Equal(["a", "b", "c"], result.Jobs.Select(j => j.Name).Order());
                Assert.All(result.Jobs, j => Assert.True(j.Error == null && j.StartS >= j.SubmitS && j.EndS > j.StartS, $"{j.Name}: {j.Error}"));
                // One core per host: the 2-rank job has both hosts to itself, so it never overlaps another job.
                var b = result.Jobs.Single(j => j.Name == "b");
                Assert.Equal(2, b.Placements[0].Vms.Count);
                Assert.All(result.Jobs.Where(j => j.Name != "b"), j => Assert.True(j.EndS <= b.StartS + 0.05 || j.StartS >= b.EndS - 0.05, $"{j.Name} overlaps b"));
                var calibration = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", $"calibration-{policy}.json"))).RootElement;
                Assert.Equal(3, calibration.GetProperty("jobs").GetArrayLength());
                NothingLeft(dir, policy);
            }
            var html = File.ReadAllText(Path.Combine(dir, "out", "schedule-report.html"));
            Assert.Contains("Calibration", html);
            Assert.Contains("data:image/png;base64,", html);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Ctrl_C_in_a_terminal_stops_every_job_and_leaves_nothing()
    {
        if (HostSupport.FindTool("tmux") == null)
        {
            Console.WriteLine("skipped: Ctrl_C_in_a_terminal_stops_every_job_and_leaves_nothing needs tmux (CI installs it)");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("csdsched").FullName;
        var session = $"csdsched{Environment.ProcessId}";
        try
        {
            File.WriteAllText(Path.Combine(dir, "profiles.json"), Profiles);
            File.WriteAllText(Path.Combine(dir, "queue.json"), Queue(("m1", "npb mg --class W", 1, 0), ("m2", "npb mg --class W", 1, 0), ("m3", "npb mg --class W", 1, 0)));
            var command = $"cd '{CoschedCli.RepositoryRoot}' && ./cosched schedule run '{dir}/queue.json' --hosts 2 --policy exclusive --profiles '{dir}/profiles.json' --out '{dir}/out' 2>'{dir}/err'; echo $? > '{dir}/rc'";
            Terminal.Tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command);
            var jobs = Path.Combine(dir, "out", "exclusive", "jobs");
            Terminal.WaitUntil(() => Directory.Exists(jobs) && Directory.GetFiles(jobs, "*.launch.json").Length == 2, TimeSpan.FromSeconds(60));
            var clock = Stopwatch.StartNew();
            Terminal.Tmux("send-keys", "-t", session, "C-c");
            Terminal.WaitUntil(() => File.Exists(Path.Combine(dir, "rc")), TimeSpan.FromSeconds(30));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the schedule took {clock.Elapsed.TotalSeconds:0.0} s to stop");
            Assert.Equal("130", File.ReadAllText(Path.Combine(dir, "rc")).Trim());
            Assert.Contains("interrupted", File.ReadAllText(Path.Combine(dir, "err")));
            NothingLeft(dir, "exclusive");
        }
        finally
        {
            Terminal.Tmux("kill-session", "-t", session);
            Directory.Delete(dir, recursive: true);
        }
    }

}
