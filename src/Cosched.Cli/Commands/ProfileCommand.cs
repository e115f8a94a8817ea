using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cosched.Launch;
using Cosched.Scheduling.Profiles;
using Cosched.Scheduling.Profiling;
using Cosched.Study.Store;
using Cosched.Workloads.Npb;

namespace Cosched.Cli.Commands;

/// <summary>`cosched profile`: measures the application profiles the co-scheduler reads (run time by
/// ranks, co-run slowdowns, memory bandwidth, split overhead, migration cost) into DIR/study.db; its
/// hidden `profile stream` is the STREAM-like probe the bandwidth is measured with.</summary>
public static class ProfileCommand
{
    /// <summary>NAS kernels whose class runs 1 to 3 s on one rank of a 2-core cloud VM (timed phase 0.9 to 2.4 s).</summary>
    public static readonly string[] DefaultApps = ["npb ep --class A", "npb mg --class A", "npb cg --class A", "npb is --class B", "npb ft --class A"];

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "directory of the results database (study.db)", HelpName = "DIR", DefaultValueFactory = _ => StudyCommand.DefaultOut };
        var apps = new Option<string[]>("--app") { Description = $"a Cosched workload command to profile, e.g. \"npb mg --class A\" or \"blast search --db DB --query Q\"; repeatable (default: {string.Join("; ", DefaultApps)})", HelpName = "CMD", AllowMultipleArgumentsPerToken = false };
        var queue = new Option<string?>("--queue") { Description = "profile the distinct commands of this queue file ({\"jobs\": [{\"name\", \"command\", \"ranks\", \"submit_s\"}, ...]})", HelpName = "QUEUE.json" };
        var ranks = new Option<string?>("--ranks") { Description = "rank counts of the runs alone (default 1,2; 1 and 2 are always measured: the baselines of co-runs and of the split)", HelpName = "LIST" };
        var rounds = new Option<int?>("--rounds") { Description = "independent runs of each measurement, interleaved; figures are medians (default 3; --quick: 1)", HelpName = "N" };
        var quick = new Option<bool>("--quick") { Description = "one round on 1 and 2 ranks (the 1-rank runs alone, which every slowdown is a ratio to, three times): about a minute per application on 2 cores" };
        var command = new Command("profile", "measure the applications' profiles for the co-scheduler (run times, co-run slowdowns, bandwidth, split overhead, migration cost)")
        {
            outDir, apps, queue, ranks, rounds, quick, StreamCommand(),
        };
        command.SetAction(result =>
        {
            bool isQuick = result.GetValue(quick);
            var commands = new List<string>(result.GetValue(apps) ?? []);
            if (result.GetValue(queue) is { } queueFile) commands.AddRange(QueueCommands(queueFile));
            if (commands.Count == 0) commands.AddRange(DefaultApps);
            List<ProfiledApplication> applications;
            try
            {
                applications = ProfiledApplication.Distinct(commands);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            var rankCounts = ParseRanks(result.GetValue(ranks));
            foreach (var application in applications) Check(application, rankCounts);
            int roundCount = result.GetValue(rounds) ?? (isQuick ? 1 : 3);
            if (roundCount is < 1 or > 100) throw new UsageException($"--rounds must be between 1 and 100 (got {roundCount})");
            if (Environment.ProcessorCount < 2) throw new UsageException("cosched profile needs at least 2 cores: co-runs put one application on each half");
            string directory = result.GetValue(outDir) ?? StudyCommand.DefaultOut;
            if (File.Exists(directory)) throw new UsageException($"--out '{directory}' is a file, not a directory");
            return Run(directory, applications, rankCounts, roundCount);
        });
        return command;
    }

    private static int Run(string directory, List<ProfiledApplication> applications, List<int> rankCounts, int rounds)
    {
        var watch = Stopwatch.StartNew();
        // Ctrl-C, kill or a closed terminal: the run in progress is ended (its launcher removes its VMs), nothing is stored.
        using var interruption = new Interruption();
        Console.Error.WriteLine($"cosched profile: {applications.Count} applications ({string.Join(", ", applications.Select(a => a.Name))}), ranks {string.Join(",", rankCounts)}, {rounds} round{(rounds == 1 ? "" : "s")}");
        var machine = MachineInfo.Current(AppContext.BaseDirectory);
        // Co-run and bandwidth figures are ratios of runs on one core each: another program on either core distorts them.
        if (machine.LoadAverage > 0.5 * machine.Cores)
            Console.Error.WriteLine($"cosched profile: warning: the machine is busy (load average {machine.LoadAverage.ToString("F1", CultureInfo.InvariantCulture)} on {machine.Cores} cores): slowdowns and bandwidths will be noisy");
        var runner = new ProfileRunner(SelfCommand.Current(), applications, rankCounts, rounds, Console.Error);
        bool complete = runner.Run(interruption.Token);
        if (!complete || interruption.Signal != null)
        {
            var which = interruption.Signal ?? PosixSignal.SIGINT;
            Console.Error.WriteLine($"cosched profile: {which} received; stopped, nothing stored");
            return Interruption.ExitCode(which);
        }
        var set = ProfileSummary.From([.. applications.Select(a => (a.Name, a.Command))], runner.Rows,
            $"{machine.CpuModel}, {machine.Cores} cores");
        ProfileStore.Save(directory, set, runner.Rows, machine);
        Console.WriteLine(ProfileTable.Render(set));
        Console.WriteLine($"cosched profile: stored in {ResultsStore.PathIn(directory)} ({runner.Rows.Count} measurements, {watch.Elapsed.TotalSeconds:F0} s)");
        if (runner.Failures.Count == 0) return 0;
        Console.Error.WriteLine($"cosched profile: {runner.Failures.Count} run{(runner.Failures.Count == 1 ? "" : "s")} failed, first: {runner.Failures[0]}");
        return 1;
    }

    /// <summary>Refuses, before anything runs, what `cosched npb` or `blast search` would refuse on every run.</summary>
    private static void Check(ProfiledApplication application, List<int> rankCounts)
    {
        switch (application.Arguments)
        {
            case ["npb", var name, ..]:
                var kernel = NpbKernels.Find(name)
                    ?? throw new UsageException($"unknown application '{application.Command}': no NPB kernel '{name}' (expected one of: {string.Join(", ", NpbKernels.Names)})");
                string text = application.Name[(application.Name.IndexOf('.') + 1)..].Split('-')[0];
                if (!NpbClasses.TryParse(text, out var size))
                    throw new UsageException($"application '{application.Command}': unknown class '{text}' (expected one of: {string.Join(", ", NpbClasses.Names)})");
                foreach (int n in rankCounts)
                    if (kernel.RankCountProblem(size, n) is { } rule) throw new UsageException($"application '{application.Command}' cannot run on {n} ranks: {rule}");
                break;
            case ["blast", "search", ..]:
                string? Value(string option) => application.Arguments.SkipWhile(w => w != option).Skip(1).FirstOrDefault();
                if (Value("--db") is not { } db || !Directory.Exists(db)) throw new UsageException($"application '{application.Command}': no database directory '{Value("--db")}'");
                if (Value("--query") is not { } query || !File.Exists(query)) throw new UsageException($"application '{application.Command}': no query file '{Value("--query")}'");
                break;
        }
    }

    private static List<int> ParseRanks(string? text)
    {
        var counts = new SortedSet<int> { 1, 2 };
        if (text == null) return [.. counts];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1024)
                throw new UsageException($"--ranks wants rank counts from 1 to 1024 separated by commas, e.g. 1,2,4 (got '{text}')");
            counts.Add(n);
        }
        return [.. counts];
    }

    /// <summary>The commands of a queue file's jobs, in order.</summary>
    private static List<string> QueueCommands(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--queue: no such file '{path}'");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Array)
                throw new UsageException($"--queue {path}: expected an object with a \"jobs\" array");
            var commands = new List<string>();
            int index = 0;
            foreach (var job in jobs.EnumerateArray())
            {
                if (job.ValueKind != JsonValueKind.Object || !job.TryGetProperty("command", out var command) || command.ValueKind != JsonValueKind.String)
                    throw new UsageException($"--queue {path}: job {index} has no \"command\" string");
                commands.Add(command.GetString()!);
                index++;
            }
            if (commands.Count == 0) throw new UsageException($"--queue {path}: the queue has no jobs");
            return commands;
        }
        catch (JsonException e)
        {
            throw new UsageException($"--queue {path}: not valid JSON ({e.Message.Split('\n')[0]})");
        }
        catch (IOException e)
        {
            throw new UsageException($"--queue {path}: {e.Message}");
        }
    }

    /// <summary>`cosched profile stream --seconds S`: the bandwidth probe, run as its own (pinned) process.</summary>
    private static Command StreamCommand()
    {
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => ProfileRunner.ProbeSeconds, HelpName = "S" };
        var window = new Option<double>("--window") { Description = "seconds per reported window", DefaultValueFactory = _ => ProfileRunner.ProbeWindowSeconds, HelpName = "S" };
        var command = new Command("stream", "STREAM-like triad over 3 x 64 MiB arrays: a line per window, then the whole run's GB/s") { seconds, window };
        command.Hidden = true;
        command.SetAction(result =>
        {
            double s = result.GetValue(seconds), w = result.GetValue(window);
            if (!(s > 0 && s <= 3600)) throw new UsageException($"--seconds must be above 0 and at most 3600 (got {s.ToString(CultureInfo.InvariantCulture)})");
            if (!(w > 0 && w <= s)) throw new UsageException($"--window must be above 0 and at most --seconds (got {w.ToString(CultureInfo.InvariantCulture)})");
            // The profiler ends a probe beside an application with SIGTERM: the windows so far are its result.
            using var stop = new CancellationTokenSource();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            StreamProbe.Run(s, w, Console.Out, stop.Token);
            return 0;
        });
        return command;
    }
}
