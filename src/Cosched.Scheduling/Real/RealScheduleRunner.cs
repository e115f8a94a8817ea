using System.Diagnostics;
using System.Text.Json;
using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Model;
using Cosched.Scheduling.Policies;
using Cosched.Study.Running;

namespace Cosched.Scheduling.Real;

/// <summary>Runs a queue for real on this machine's hosts (the launcher's <c>--hosts H</c>): each job
/// is a Cosched job whose VMs go where the policy put them (<c>cosched run --vms K --hosts H
/// --vm-hosts ...</c>, ranks unbound inside their VM so co-runners share a host's cores), watched
/// until it exits; a move the policy decides is a live migration through <c>cosched migrate</c>.
/// Jobs are started only from the calling thread: their launchers get SIGTERM when it ends
/// (<c>setpriv --pdeathsig</c>), so a killed scheduler leaves nothing behind.</summary>
public sealed class RealScheduleRunner : IScheduleEffects
{
    /// <param name="Cli">How to start this CLI (dotnet Cosched.Cli.dll).</param>
    /// <param name="OutDirectory">Each job's output and launch report go into OUT/jobs.</param>
    /// <param name="LauncherOptions">Extra options for every job's launcher (--vm-kind ...).</param>
    public sealed record Options(IReadOnlyList<string> Cli, string OutDirectory, IReadOnlyList<string> LauncherOptions);

    private sealed class Launched(RunningJob job, Process process, string reportPath, double timeoutS)
    {
        public RunningJob Job { get; } = job;
        public Process Process { get; } = process;
        public string ReportPath { get; } = reportPath;
        public double TimeoutS { get; } = timeoutS;
        public Task Moves { get; set; } = Task.CompletedTask;
        public string LastError = "";
        public List<string> MoveErrors { get; } = [];
    }

    private readonly Options options;
    private readonly int hosts;
    private readonly SchedulingContext context;
    private readonly Dictionary<int, Launched> launched = [];
    private readonly TextWriter log;
    private readonly Stopwatch clock = new();

    private RealScheduleRunner(int hosts, int coresPerHost, CoRunModel model, Options options, TextWriter log)
    {
        this.hosts = hosts;
        this.options = options;
        this.log = log;
        context = new SchedulingContext(new Cluster(hosts, coresPerHost), model, this);
    }

    /// <summary>Runs every job of <paramref name="jobs"/> (submit times in seconds from now) to its end.</summary>
    public static ScheduleResult Run(IReadOnlyList<SchedJob> jobs, int hosts, int coresPerHost, ISchedulingPolicy policy, CoRunModel model,
        Options options, string workload, TextWriter log, CancellationToken cancel)
    {
        Directory.CreateDirectory(Path.Combine(options.OutDirectory, "jobs"));
        var runner = new RealScheduleRunner(hosts, coresPerHost, model, options, log);
        var records = runner.Loop(jobs.OrderBy(j => j.SubmitS).ThenBy(j => j.Id).ToList(), policy, cancel);
        return new ScheduleResult("real", policy.Name, workload, hosts, coresPerHost, ScheduleMetrics.Of(records, hosts, coresPerHost), records);
    }

    private List<JobRecord> Loop(List<SchedJob> jobs, ISchedulingPolicy policy, CancellationToken cancel)
    {
        var done = new List<JobRecord>();
        int next = 0;
        clock.Start();
        try
        {
            while (next < jobs.Count || launched.Count > 0)
            {
                cancel.ThrowIfCancellationRequested();
                double now = clock.Elapsed.TotalSeconds;
                context.Now = now;
                bool changed = false;
                foreach (var entry in launched.Values.ToList())
                {
                    if (!entry.Process.HasExited && now - entry.Job.StartS > entry.TimeoutS)
                    {
                        entry.LastError = $"timed out after {entry.TimeoutS:0} s";
                        Stop(entry.Process);
                    }
                    if (!entry.Process.HasExited) continue;
                    entry.Process.WaitForExit();
                    entry.Moves.Wait(TimeSpan.FromSeconds(30));
                    int code = entry.Process.ExitCode;
                    string? error = code == 0 ? null : $"exit code {code}{(entry.LastError.Length > 0 ? ": " + entry.LastError : "")}";
                    if (entry.MoveErrors.Count > 0) error = (error == null ? "" : error + "; ") + string.Join("; ", entry.MoveErrors);
                    context.Finish(entry.Job);
                    launched.Remove(entry.Job.Job.Id);
                    done.Add(JobRecord.Of(entry.Job, now, error));
                    log.WriteLine($"cosched schedule: {now,7:0.0} s  {entry.Job.Job.Name} ended{(error == null ? "" : $" ({error})")}");
                    changed = true;
                }
                while (next < jobs.Count && jobs[next].SubmitS <= now)
                {
                    context.Submit(jobs[next++]);
                    changed = true;
                }
                if (changed) context.Schedule(policy, _ => { });
                if (launched.Count == 0 && context.Waiting.Count > 0 && next >= jobs.Count)
                    throw new InvalidOperationException($"{policy.Name} started nothing though all {hosts} hosts are free ({context.Waiting[0].Name} waits)");
                Thread.Sleep(20);
            }
        }
        finally
        {
            foreach (var entry in launched.Values) Stop(entry.Process);
            foreach (var entry in launched.Values) entry.Process.WaitForExit(15_000);
        }
        return done;
    }

    /// <summary>SIGTERM, which the launcher turns into a clean end of its job; SIGKILL after 10 s.</summary>
    private static void Stop(Process process)
    {
        if (process.HasExited) return;
        try { ChildProcess.Terminate(process, TimeSpan.FromSeconds(10)); }
        catch (InvalidOperationException) { }
    }

    public void Started(RunningJob job)
    {
        var sched = job.Job;
        var dir = Path.Combine(options.OutDirectory, "jobs");
        string report = Path.Combine(dir, $"{sched.Name}.launch.json");
        File.Delete(report);
        var words = sched.Command!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = new List<string> { "--pdeathsig", "TERM", "--" };
        args.AddRange(options.Cli);
        args.AddRange(["run", "-n", sched.Ranks.ToString(), "--vms", job.Allocation.Vms.ToString(), "--hosts", hosts.ToString(),
            "--vm-hosts", string.Join(',', job.Allocation.Parts.Select(p => p.Host)), "--bind-to", "none", "--launch-report", report]);
        args.AddRange(options.LauncherOptions);
        if (words[0] == "run") args.AddRange(words.Skip(1)); // "run -- PROGRAM ARGS": the program's own command line
        else
        {
            args.Add("--");
            args.AddRange(options.Cli);
            args.AddRange(words);
            args.AddRange(["-n", sched.Ranks.ToString()]);
        }
        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {sched.Name}");
        var entry = new Launched(job, process, report, Math.Max(120, 10 * sched.RunS));
        var stdout = new StreamWriter(Path.Combine(dir, $"{sched.Name}.out")) { AutoFlush = true };
        var stderr = new StreamWriter(Path.Combine(dir, $"{sched.Name}.err")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.WriteLine(e.Data); else lock (stdout) stdout.Dispose(); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) { lock (stderr) stderr.Dispose(); return; }
            lock (stderr) stderr.WriteLine(e.Data);
            if (e.Data.StartsWith("cosched: ", StringComparison.Ordinal) && !e.Data.StartsWith("cosched: job ", StringComparison.Ordinal)) entry.LastError = e.Data["cosched: ".Length..];
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        launched[sched.Id] = entry;
        log.WriteLine($"cosched schedule: {context.Now,7:0.0} s  {sched.Name} started on {job.Allocation} ({sched.Command})");
    }

    public void Moved(RunningJob job, int part, int fromHost, int toHost)
    {
        var entry = launched[job.Job.Id];
        double at = context.Now;
        log.WriteLine($"cosched schedule: {at,7:0.0} s  {job.Job.Name}: VM {part} moves from host {fromHost} to host {toHost}");
        // One move of a job at a time, in the order decided; the scheduler goes on meanwhile.
        entry.Moves = entry.Moves.ContinueWith(_ => Migrate(entry, part, toHost), TaskScheduler.Default);
    }

    private void Migrate(Launched entry, int vm, int host)
    {
        string? id = null;
        for (var wait = Stopwatch.StartNew(); id == null && wait.Elapsed < TimeSpan.FromSeconds(60) && !entry.Process.HasExited; Thread.Sleep(50))
            id = JobIdIn(entry.ReportPath);
        if (id == null) { if (!entry.Process.HasExited) lock (entry.MoveErrors) entry.MoveErrors.Add("its launch report never appeared"); return; }
        // A job refuses moves until all its ranks are up; ask again until then (or until it ends).
        for (var wait = Stopwatch.StartNew(); ; Thread.Sleep(200))
        {
            var (code, output, error) = RunCli(["migrate", id, "--vm", vm.ToString(), "--to-host", host.ToString(), "--format", "json"]);
            if (code == 0)
            {
                File.WriteAllText(Path.Combine(Path.GetDirectoryName(entry.ReportPath)!, $"{entry.Job.Job.Name}.move-{vm}-to-{host}.json"), output);
                return;
            }
            if (entry.Process.HasExited) return;
            if (error.Contains("still starting", StringComparison.Ordinal) && wait.Elapsed < TimeSpan.FromSeconds(60)) continue;
            lock (entry.MoveErrors) entry.MoveErrors.Add($"move of VM {vm} to host {host} failed: {error.Trim().Split('\n')[0]}");
            return;
        }
    }

    private (int Code, string Output, string Error) RunCli(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(options.Cli[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in options.Cli.Skip(1).Concat(arguments)) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private static string? JobIdIn(string reportPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(reportPath));
            return document.RootElement.GetProperty("job").GetString();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException) { return null; }
    }
}
