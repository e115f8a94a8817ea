using System.Globalization;
using System.Text.Json;
using Cosched.Study.Report;
using Cosched.Study.Running;

namespace Cosched.Scheduling.Profiling;

/// <summary>Measures the profiles of a list of applications on this machine with `cosched` child
/// processes, in rounds (each round measures everything once, so slow drifts of a shared machine
/// spread over all figures alike): run time alone by rank count, co-run time of every ordered pair
/// on the two halves of the cores, the STREAM probe's bandwidth alone and beside each application,
/// the run time in 2 VMs with per-vm channels, and the time of one VM's move between two hosts.
/// Every figure that is a ratio has both its sides from the same round.
/// Every run's figure is kept as a raw row; one progress line per run goes to <c>progress</c>.</summary>
/// <param name="cosched">the command line that starts the CLI (`dotnet Cosched.Cli.dll`).</param>
public sealed class ProfileRunner(IReadOnlyList<string> cosched, IReadOnlyList<ProfiledApplication> applications,
    IReadOnlyList<int> ranks, int rounds, TextWriter progress)
{
    /// <summary>Longest a single run may take before it counts as failed.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Seconds a probe alone runs: STREAM's own repetitions take about as long.</summary>
    public const double ProbeSeconds = 1.0;
    public const double ProbeWindowSeconds = 0.1;

    private readonly List<ProfileMeasurement> rows = [];
    private readonly List<string> failures = [];
    private int done;

    public IReadOnlyList<ProfileMeasurement> Rows => rows;

    /// <summary>One line per run that failed (it has no row).</summary>
    public IReadOnlyList<string> Failures => failures;

    /// <summary>The cores of the measured application (first half) and of what runs beside it (second half), as taskset lists.</summary>
    public static (string First, string Second) Halves(int cores)
    {
        if (cores < 2) throw new InvalidOperationException("co-runs need at least 2 cores, one half for each application");
        string List(int from, int to) => string.Join(',', Enumerable.Range(from, to - from));
        return (List(0, cores / 2), List(cores / 2, cores));
    }

    /// <summary>Runs alone on 1 rank per round: the denominator of every co-run slowdown, so a single
    /// round (--quick) still takes it as the median of three, and one slow run on a shared machine
    /// does not make every neighbour look like a speed-up.</summary>
    private int BaselineSamples => rounds == 1 ? 3 : 1;

    /// <summary>Runs of one round, for the progress count.</summary>
    private int RunsPerRound => applications.Count * (2 * ranks.Count - 1 + BaselineSamples + 3 + applications.Count) + 1;

    /// <summary>Measures everything; returns false when interrupted (the rows so far stay).</summary>
    public bool Run(CancellationToken cancel)
    {
        var (first, second) = Halves(Environment.ProcessorCount);
        for (int round = 1; round <= rounds; round++)
        {
            // Each ratio's two sides are measured one right after the other (a shared machine's load
            // drifts): the split beside the native 2-rank run, the probe alone beside the probe next to the application.
            foreach (var app in applications)
            {
                foreach (int n in ranks)
                    for (int sample = 0; sample < (n == 1 ? BaselineSamples : 1); sample++)
                    {
                        // One rank runs on the half the co-runs use, so its time is their baseline.
                        var command = n == 1 ? Pinned(first, AppCommand(app, 1)) : AppCommand(app, n);
                        Measure($"{app.Name} alone on {Ranks(n)}", round, cancel, () => Timed(app, command, cancel) is var (seconds, _)
                            ? Row(app, ProfileMeasurement.Alone, n, 0, null, round, seconds, "native") : null);
                        if (cancel.IsCancellationRequested) return false;
                    }
                foreach (int n in ranks)
                {
                    Measure($"{app.Name} as a scheduled job on {Ranks(n)} (wall)", round, cancel, () => Launched(app, n, round, cancel));
                    if (cancel.IsCancellationRequested) return false;
                }
                Measure($"{app.Name} on 2 ranks in 2 VMs (per-vm)", round, cancel, () => Split(app, round, cancel));
                if (cancel.IsCancellationRequested) return false;
                Measure("stream probe alone", round, cancel, () => ProbeAlone(second, round, cancel), unit: "GB/s");
                if (cancel.IsCancellationRequested) return false;
                Measure($"stream probe beside {app.Name}", round, cancel, () => ProbeBeside(app, first, second, round, cancel), unit: "GB/s");
                if (cancel.IsCancellationRequested) return false;
            }
            foreach (var app in applications)
                foreach (var other in applications)
                {
                    Measure($"{app.Name} beside {other.Name}", round, cancel, () => CoRun(app, other, first, second, round, cancel));
                    if (cancel.IsCancellationRequested) return false;
                }
            Measure("a VM's move between 2 hosts", round, cancel, () => Moves(round, cancel), unit: "s per move");
            if (cancel.IsCancellationRequested) return false;
        }
        return true;
    }

    /// <summary>The application on <paramref name="n"/> ranks started the way the scheduler starts a
    /// job on a host of this machine's cores (<c>cosched run --vms 1 --bind-to none -- cosched APP</c>,
    /// unpinned): the wall time a job of it holds its cores, launcher, VM and set-up included.</summary>
    private ProfileMeasurement? Launched(ProfiledApplication app, int n, int round, CancellationToken cancel)
    {
        string count = n.ToString(CultureInfo.InvariantCulture);
        var report = Path.Combine(Path.GetTempPath(), $"cosched-profile-{Guid.NewGuid():N}.json");
        try
        {
            List<string> job = [.. cosched, "run", "-n", count, "--vms", "1", "--bind-to", "none", "--launch-report", report, "--", .. WithHitsDiscarded(app, AppCommand(app, n))];
            var result = ChildProcess.Run(job, RunTimeout, cancel: cancel);
            if (result.Interrupted) return null;
            if (result.TimedOut) throw new ProfileRunException($"timed out after {RunTimeout.TotalSeconds:F0} s");
            if (result.ExitCode != 0) throw new ProfileRunException($"exit code {result.ExitCode}: {Reason(result)}");
            string kind = (File.Exists(report) ? LaunchInfo.Take(report)?.VmKind : null) ?? "unknown";
            return Row(app, ProfileMeasurement.Launched, n, 1, null, round, result.Elapsed.TotalSeconds, kind);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>The probe alone on the second half: the median of its windows.</summary>
    private ProfileMeasurement? ProbeAlone(string second, int round, CancellationToken cancel)
    {
        var result = ChildProcess.Run(Pinned(second, ProbeCommand(ProbeSeconds)), RunTimeout, cancel: cancel);
        if (result.Interrupted) return null;
        if (result.ExitCode != 0) throw new ProfileRunException($"the probe failed: {Reason(result)}");
        var windows = StreamProbe.ParseWindows(result.Output);
        if (windows.Count == 0) throw new ProfileRunException("the probe printed no window");
        return new ProfileMeasurement(ProfileMeasurement.ProbeApp, "profile stream", ProfileMeasurement.Probe, 1, 0, null, round,
            Statistics.Median([.. windows.Select(w => w.GBps)]), "native");
    }

    /// <summary>Runs one measurement, keeps its rows and says what it measured in one line.</summary>
    private void Measure(string what, int round, CancellationToken cancel, Func<object?> measure, string unit = "s")
    {
        done++;
        string head = $"cosched profile: [{done}/{RunsPerRound * rounds}] round {round}/{rounds}, {what}";
        try
        {
            var measured = measure() switch
            {
                ProfileMeasurement one => [one],
                List<ProfileMeasurement> many => many,
                _ => new List<ProfileMeasurement>(),
            };
            if (cancel.IsCancellationRequested) return;
            rows.AddRange(measured);
            progress.WriteLine($"{head}: {string.Join(", ", measured.Select(m => m.Value.ToString(unit == "GB/s" ? "F2" : "F3", CultureInfo.InvariantCulture)))} {unit}");
        }
        catch (ProfileRunException e)
        {
            if (cancel.IsCancellationRequested) return;
            failures.Add($"{what} (round {round}): {e.Message}");
            progress.WriteLine($"{head}: failed: {e.Message}");
        }
    }

    private ProfileMeasurement Row(ProfiledApplication app, string kind, int n, int vms, string? beside, int round, double value, string vmKind) =>
        new(app.Name, app.Command, kind, n, vms, beside, round, value, vmKind);

    /// <summary>The application's command on <paramref name="n"/> ranks, natively, with a JSON summary.</summary>
    private List<string> AppCommand(ProfiledApplication app, int n, params string[] extra)
    {
        var command = new List<string>(cosched);
        command.AddRange(app.Arguments);
        command.AddRange(["-n", n.ToString(CultureInfo.InvariantCulture), .. extra, "--format", "json"]);
        return command;
    }

    private List<string> ProbeCommand(double seconds) =>
        [.. cosched, "profile", "stream", "--seconds", seconds.ToString("R", CultureInfo.InvariantCulture),
         "--window", ProbeWindowSeconds.ToString("R", CultureInfo.InvariantCulture)];

    private static List<string> Pinned(string cores, IReadOnlyList<string> command) => ["taskset", "-c", cores, .. command];

    /// <summary>Runs an application once; its timed phase's seconds (the workload's own "seconds",
    /// else the wall time) and when it ended (Unix ms).</summary>
    private static (double Seconds, double EndUnixMs)? Timed(ProfiledApplication app, IReadOnlyList<string> command, CancellationToken cancel)
    {
        // A BLAST search's hits go to a file of ours: standard output is its JSON summary alone.
        string? hits = null;
        var line = command.ToList();
        if (app.Arguments is ["blast", ..] && !app.Arguments.Contains("--out"))
        {
            hits = Path.Combine(Path.GetTempPath(), $"cosched-profile-{Guid.NewGuid():N}.tsv");
            line.InsertRange(line.Count - 2, ["--out", hits]);
        }
        try
        {
            var result = ChildProcess.Run(line, RunTimeout, cancel: cancel);
            double end = StreamProbe.UnixMs();
            if (result.Interrupted) return null;
            if (result.TimedOut) throw new ProfileRunException($"timed out after {RunTimeout.TotalSeconds:F0} s");
            if (result.ExitCode != 0) throw new ProfileRunException($"exit code {result.ExitCode}: {Reason(result)}");
            return (TimedSeconds(result), end);
        }
        finally
        {
            if (hits != null) File.Delete(hits);
        }
    }

    /// <summary>The "seconds" of the JSON summary NPB and BLAST print (their timed phase); the wall time otherwise.</summary>
    private static double TimedSeconds(ChildProcess.Result result)
    {
        int open = result.Output.IndexOf('{'), close = result.Output.LastIndexOf('}');
        if (open < 0 || close < open) return result.Elapsed.TotalSeconds;
        try
        {
            using var document = JsonDocument.Parse(result.Output[open..(close + 1)]);
            var root = document.RootElement;
            if (root.TryGetProperty("verified", out var verified) && verified.ValueKind == JsonValueKind.False)
                throw new ProfileRunException("its verification failed");
            return root.TryGetProperty("seconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number && seconds.GetDouble() > 0
                ? seconds.GetDouble() : result.Elapsed.TotalSeconds;
        }
        catch (JsonException)
        {
            return result.Elapsed.TotalSeconds;
        }
    }

    /// <summary><paramref name="app"/> on 1 rank on the first half while <paramref name="other"/> runs
    /// again and again on 1 rank on the second.</summary>
    private ProfileMeasurement? CoRun(ProfiledApplication app, ProfiledApplication other, string first, string second, int round, CancellationToken cancel)
    {
        var beside = new BesideLoop(Pinned(second, WithHitsDiscarded(other, AppCommand(other, 1))), cancel);
        (double Seconds, double EndUnixMs)? measured;
        try
        {
            // The neighbour's start-up (a .NET process and its data) overlaps the measured one's; it is
            // computing by the time the measured application's timed phase starts.
            Thread.Sleep(300);
            measured = Timed(app, Pinned(first, AppCommand(app, 1)), cancel);
        }
        finally
        {
            var runs = beside.Stop();
            beside.Dispose();
            if (!cancel.IsCancellationRequested && runs.FirstOrDefault(r => !r.Interrupted && r.ExitCode != 0) is { } failed)
                throw new ProfileRunException($"{other.Name} beside it failed: exit code {failed.ExitCode}: {Reason(failed)}");
        }
        return measured is var (seconds, _) ? Row(app, ProfileMeasurement.CoRun, 1, 0, other.Name, round, seconds, "native") : null;
    }

    /// <summary>A BLAST search beside the measured application writes its hits nowhere.</summary>
    private static List<string> WithHitsDiscarded(ProfiledApplication app, List<string> command)
    {
        if (app.Arguments is ["blast", ..] && !app.Arguments.Contains("--out")) command.InsertRange(command.Count - 2, ["--out", "/dev/null"]);
        return command;
    }

    /// <summary>The probe on the second half for the whole of <paramref name="app"/>'s run on the first;
    /// its GB/s is the median of the windows that fell into the application's timed phase.</summary>
    private ProfileMeasurement? ProbeBeside(ProfiledApplication app, string first, string second, int round, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var probe = Task.Run(() => ChildProcess.Run(Pinned(second, ProbeCommand(RunTimeout.TotalSeconds)), RunTimeout + TimeSpan.FromMinutes(1), cancel: stop.Token));
        (double Seconds, double EndUnixMs)? measured;
        double start = StreamProbe.UnixMs();
        try
        {
            Thread.Sleep(300);
            measured = Timed(app, Pinned(first, AppCommand(app, 1)), cancel);
        }
        finally
        {
            stop.Cancel();
        }
        var result = probe.GetAwaiter().GetResult();
        if (measured is not var (seconds, end)) return null;
        var windows = StreamProbe.ParseWindows(result.Output);
        // The timed phase ends just before the process does (a report, a shutdown): windows from its
        // start (with a little slack for that tail) to the exit.
        var inPhase = windows.Where(w => w.StartUnixMs >= end - seconds * 1000 - 250 && w.EndUnixMs <= end).ToList();
        if (inPhase.Count == 0) inPhase = [.. windows.Where(w => w.StartUnixMs >= start && w.EndUnixMs <= end)];
        if (inPhase.Count == 0) throw new ProfileRunException($"the probe printed no window during the run ({windows.Count} in all)");
        return Row(app, ProfileMeasurement.Probe, 1, 0, ProfileMeasurement.ProbeApp, round, Statistics.Median([.. inPhase.Select(w => w.GBps)]), "native");
    }

    /// <summary>2 ranks in 2 VMs with per-vm channels (the paper's setting); the provider from the launch report.</summary>
    private ProfileMeasurement? Split(ProfiledApplication app, int round, CancellationToken cancel)
    {
        var report = Path.Combine(Path.GetTempPath(), $"cosched-profile-{Guid.NewGuid():N}.json");
        try
        {
            var measured = Timed(app, AppCommand(app, 2, "--vms", "2", "--channels", "per-vm", "--launch-report", report), cancel);
            if (measured is not var (seconds, _)) return null;
            string kind = (File.Exists(report) ? LaunchInfo.Take(report)?.VmKind : null) ?? "unknown";
            return Row(app, ProfileMeasurement.Split, 2, 2, null, round, seconds, kind);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>PingPong between 2 VMs on 2 simulated hosts while VM 1 moves to host 0 and back: two moves, each a row.</summary>
    private List<ProfileMeasurement>? Moves(int round, CancellationToken cancel)
    {
        var report = Path.Combine(Path.GetTempPath(), $"cosched-profile-{Guid.NewGuid():N}.json");
        try
        {
            var result = ChildProcess.Run([.. cosched, "bench", "pingpong", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-hosts", "0,1",
                "--timeseries", "--time", "2", "--size", "8", "--migrate", "0.6:1:0,1.3:1:1", "--launch-report", report, "--format", "json"], RunTimeout, cancel: cancel);
            if (result.Interrupted) return null;
            if (result.ExitCode != 0) throw new ProfileRunException($"exit code {result.ExitCode}: {Reason(result)}");
            string kind = (File.Exists(report) ? LaunchInfo.Take(report)?.VmKind : null) ?? "unknown";
            var moves = BenchJson.ParseTimeSeries(result.Output).Moves;
            if (moves.Count == 0) throw new ProfileRunException("the run recorded no move");
            return [.. moves.Select(m => new ProfileMeasurement(ProfileMeasurement.MigrationApp, "bench pingpong --migrate", ProfileMeasurement.Move,
                2, 2, null, round, m.TotalMs / 1000, kind))];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ProfileRunException($"unreadable output ({e.Message})");
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static string Ranks(int n) => n == 1 ? "1 rank" : $"{n} ranks";

    /// <summary>The line of a failed child that says why: its own "cosched: ..." line, else its last.</summary>
    private static string Reason(ChildProcess.Result result)
    {
        var lines = (result.Error + "\n" + result.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = lines.FirstOrDefault(l => l.StartsWith("cosched:", StringComparison.Ordinal) && !l.StartsWith("cosched: job ", StringComparison.Ordinal)
            && !l.StartsWith("cosched: warning:", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "no output";
        return reason.Length > 300 ? reason[..300] + "..." : reason;
    }
}
