using System.Text.Json;
using Cosched.Tests.Shared;

namespace Cosched.Scheduling.Tests;

/// <summary>What `cosched schedule` says about bad input (one line, exit 2, before any job starts)
/// and what `schedule trace` and `schedule simulate` give a user.</summary>
public class ScheduleCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("csdsched").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static CoschedCli.Result Cosched(params string[] args) => CoschedCli.Run(TimeSpan.FromMinutes(2), args);

    private static void OneLineUsageError(CoschedCli.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got: {r.Error}");
        Assert.Contains(expected, lines[0]);
    }

    private string Profiles() => Write("profiles.json", """
        {"applications": [{"name": "ep.S", "command": "npb ep --class S", "run_seconds": {"1": 0.6}, "bandwidth": 0.02, "split_overhead": {}},
                          {"name": "mg.S", "command": "npb mg --class S", "run_seconds": {"1": 0.6}, "bandwidth": 0.6, "split_overhead": {}}],
         "co_runs": [{"app": "mg.S", "beside": "mg.S", "slowdown": 1.5}], "migration_seconds": 1, "machine": "test"}
        """);

    [Fact]
    public void A_bad_queue_is_one_line_naming_the_file_and_the_job()
    {
        var profiles = Profiles();
        OneLineUsageError(Cosched("schedule", "run", Path.Combine(dir, "none.json"), "--profiles", profiles), "no such queue file");
        OneLineUsageError(Cosched("schedule", "run", Write("bad.json", "{\"jobs\": [ {\"name\": "), "--profiles", profiles), "bad.json: not JSON");
        OneLineUsageError(Cosched("schedule", "run", Write("ranks.json", """{"jobs": [{"name": "x", "command": "npb ep --class S", "ranks": 0}]}"""), "--profiles", profiles),
            "job 'x': \"ranks\" must be at least 1");
        OneLineUsageError(Cosched("schedule", "run", Write("unprofiled.json", """{"jobs": [{"name": "bt", "command": "npb bt --class S"}]}"""), "--profiles", profiles),
            "job 'bt': no profile for 'npb bt --class S'");
        var good = Write("good.json", """{"jobs": [{"name": "a", "command": "npb ep --class S"}]}""");
        OneLineUsageError(Cosched("schedule", "run", good, "--profiles", profiles, "--hosts", "3"), "--hosts must be between 1 and this machine's");
        OneLineUsageError(Cosched("schedule", "run", good, "--profiles", profiles, "--policy", "fifo"), "unknown policy 'fifo'");
        OneLineUsageError(Cosched("schedule", "run", good, "--profiles", Path.Combine(dir, "nowhere")), "no profiles in");
        OneLineUsageError(Cosched("schedule", "run", good, "--profiles", profiles, "--hosts", "2", "--policy", "poncos"), "even number of cores");
    }

    [Fact]
    public void Simulate_names_a_malformed_trace_line_and_needs_profiles_to_share()
    {
        var profiles = Profiles();
        var trace = Write("bad.swf", "; MaxProcs: 8\n1 0 0 10 2 -1 -1 2 20 -1 1 1 1 1 1 1 -1 -1\n2 5 0 10 2\n");
        OneLineUsageError(Cosched("schedule", "simulate", trace, "--hosts", "2", "--cores-per-host", "4", "--profiles", profiles), "bad.swf:3:");
        var good = Write("good.swf", "; MaxProcs: 8\n1 0 0 10 2 -1 -1 2 20 -1 1 1 1 1 1 1 -1 -1\n");
        OneLineUsageError(Cosched("schedule", "simulate", good, "--hosts", "2", "--cores-per-host", "4", "--policy", "share", "--profiles", Path.Combine(dir, "x.json")), "no profiles in");
        // Exclusive needs no profiles: a job runs its trace's run time.
        var r = Cosched("schedule", "simulate", good, "--hosts", "2", "--cores-per-host", "4", "--policy", "exclusive", "--profiles", Path.Combine(dir, "x.json"),
            "--out", Path.Combine(dir, "out"), "--format", "json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var line = JsonDocument.Parse(r.Output.Trim());
        Assert.Equal(10, line.RootElement.GetProperty("makespan_s").GetDouble());
    }

    [Fact]
    public void A_synthetic_trace_simulates_with_every_policy_and_exclusive_runs_the_traces_times()
    {
        var profiles = Profiles();
        var trace = Path.Combine(dir, "lf.swf");
        var t = Cosched("schedule", "trace", "--jobs", "300", "--max-procs", "32", "--seed", "7", "--out", trace);
        Assert.True(t.ExitCode == 0, t.Error);
        Assert.Contains("300 jobs", t.Output);
        var r = Cosched("schedule", "simulate", trace, "--hosts", "8", "--cores-per-host", "4", "--profiles", profiles, "--out", Path.Combine(dir, "out"), "--format", "json");
        Assert.True(r.ExitCode == 0, r.Error);
        var lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["exclusive", "share", "poncos", "cosched"], lines.Select(l => l.GetProperty("policy").GetString()));
        Assert.All(lines, l => Assert.Equal(300, l.GetProperty("jobs").GetInt32()));
        // Under exclusive every job's run time is the trace's.
        var csv = File.ReadAllLines(Directory.GetFiles(Path.Combine(dir, "out"), "trace-exclusive.*.jobs.csv").Single()).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(csv, f => Assert.Equal(double.Parse(f[7]), double.Parse(f[9]), 2));
        Assert.True(File.Exists(Path.Combine(dir, "out", "schedule-report.html")));
        Assert.Contains("has not been calibrated", File.ReadAllText(Path.Combine(dir, "out", "schedule-report.md")));
    }
}
