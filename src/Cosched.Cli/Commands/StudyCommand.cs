using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cosched.Launch;
using Cosched.Study.Plan;
using Cosched.Study.Report;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Cli.Commands;

/// <summary>`cosched study`: Cosched's main job. Runs the paper's evaluation on this host (point-to-point,
/// collectives, NAS kernels and the BLAST search, over VM counts and channel policies, optionally NPB's own binaries, and
/// Intel MPI Benchmarks built with cosched mpicc or under Open MPI beside Cosched's own benchmarks),
/// stores every measurement in DIR/study.db and writes the report (report.md, report.html, plots).</summary>
public static class StudyCommand
{
    public const string DefaultOut = "study-results";

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "a short study (5 to 8 minutes on 2 cores) that still shows the effect and its cure" };
        var outDir = new Option<string>("--out") { Description = "directory of the database and the report", HelpName = "DIR", DefaultValueFactory = _ => DefaultOut };
        var ranks = new Option<int?>("--ranks", "-n") { Description = "ranks of the collectives and applications (default: collectives on the paper's 16 ranks, oversubscribed on fewer cores, applications on the cores; --quick: the cores, at most 4, plus barrier and alltoall on 8)", HelpName = "N" };
        var vms = new Option<string?>("--vms") { Description = "VM counts, e.g. 0,1,2,4,8,16 (default: the powers of two up to the ranks; native, 0, is always measured)", HelpName = "LIST" };
        var pin = new Option<string?>("--pin") { Description = "placements: compact,scatter (default: both; --quick: compact)", HelpName = "LIST" };
        var channels = new Option<string?>("--channels") { Description = "channel policies across VMs: per-vm,locality (default: both)", HelpName = "LIST" };
        var workloads = new Option<string?>("--workloads") { Description = $"what to measure (default: all): {string.Join(",", StudyWorkloads.All)}; with --npb also npb (all its binaries) or npb:KERNEL (e.g. npb:cg, npb:bt-mz)", HelpName = "LIST" };
        var msglog = new Option<string?>("--msglog") { Description = "message sizes 0 and 2^MIN .. 2^MAX bytes for point-to-point and collectives (default: 0:22; --quick: 0:20 for point-to-point, 0:12 for the collectives, 0:3 for those on 8 ranks)", HelpName = "MIN:MAX" };
        var time = new Option<double?>("--time") { Description = "seconds one message size may take (default: 0.1; --quick: 0.03)", HelpName = "SECONDS" };
        var rounds = new Option<int?>("--rounds") { Description = "independent runs of each configuration, interleaved; every figure is their median with a 95% interval (default: 5; --quick: 3, and 5 for point-to-point and the collectives on the cores' ranks)", HelpName = "R" };
        var nasClass = new Option<string?>("--class") { Description = "NAS problem class S, W, A, B or C of every kernel (default: per kernel, the smallest whose run lasts 0.5 s here)" };
        var blastQueries = new Option<int?>("--queries") { Description = $"queries of the BLAST search (default: {StudyOptions.DefaultBlastQueries(false)}; --quick: {StudyOptions.DefaultBlastQueries(true)})", HelpName = "Q" };
        var peer = new Option<string?>("--peer") { Description = "also run Intel MPI Benchmarks under this MPI in the same configurations: openmpi" };
        var imb = new Option<string?>("--imb") { Description = "the IMB-MPI1 binary for --peer (built with Open MPI's mpicc)", HelpName = "PATH" };
        var imbCosched = new Option<string?>("--imb-cosched") { Description = "also run an IMB-MPI1 built with cosched mpicc under `cosched run`, in the configurations of Cosched's own micro-benchmarks", HelpName = "PATH" };
        var npb = new Option<string?>("--npb") { Description = "also run NPB's own binaries of DIR (bt.A.x, cg.A.x ..., and multi-zone bt-mz.A.x ... in every processes x threads mix; NPB 3.3's bt-mz.A.2 on the processes it was built for), built with Cosched's wrappers; --workloads npb or npb:KERNEL picks among them", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "continue the study in DIR: skip what is already measured" };

        var command = new Command("study", "run the paper's evaluation on this host and write the report (tables, plots, database)")
        {
            quick, outDir, ranks, vms, pin, channels, workloads, msglog, time, rounds, nasClass, blastQueries, peer, imb, imbCosched, npb, resume,
        };
        command.SetAction(result =>
        {
            bool isQuick = result.GetValue(quick);
            int cores = Environment.ProcessorCount;
            int? chosenRanks = result.GetValue(ranks);
            if (chosenRanks is < 2 or > 4096) throw new UsageException($"--ranks must be between 2 and 4096 (got {chosenRanks})");
            int n = chosenRanks ?? StudyOptions.DefaultRanks(isQuick, cores);
            int[]? chosenVms = result.GetValue(vms) is { } vmText ? ParseVmCounts(vmText, chosenRanks ?? Math.Max(n, isQuick ? StudyOptions.QuickWideRanks : StudyOptions.PaperRanks)) : null;
            var pins = ParseList(result.GetValue(pin), "--pin", ["compact", "scatter"]) ?? (isQuick ? ["compact"] : ["compact", "scatter"]);
            var policies = ParseList(result.GetValue(channels), "--channels", StudyOptions.ChannelNames) ?? StudyOptions.ChannelNames;
            string? npbDirectory = result.GetValue(npb);
            var binaries = npbDirectory == null ? [] : FindNpb(npbDirectory);
            var chosen = ParseWorkloads(result.GetValue(workloads), npbDirectory, binaries);
            string? sizes = result.GetValue(msglog);
            if (sizes != null && !ValidMsgLog(sizes)) throw new UsageException($"--msglog wants MIN:MAX, two whole numbers from 0 to 30 with MIN <= MAX (got '{sizes}')");
            // IMB's -time caps the time of one size; 16 ranks sharing 2 cores need a short cap for the full study to end in an hour or two.
            double seconds = result.GetValue(time) ?? (isQuick ? 0.03 : 0.1);
            if (!(seconds > 0 && seconds <= 3600)) throw new UsageException($"--time must be a number of seconds above 0 (got {seconds.ToString(CultureInfo.InvariantCulture)})");
            int roundCount = result.GetValue(rounds) ?? StudyOptions.DefaultRounds(isQuick);
            if (roundCount is < 1 or > 100) throw new UsageException($"--rounds must be between 1 and 100 (got {roundCount})");
            string? problemClass = result.GetValue(nasClass)?.ToUpperInvariant();
            if (problemClass != null && !StudyOptions.NasClasses.Contains(problemClass)) throw new UsageException($"--class must be one of {string.Join(", ", StudyOptions.NasClasses)} (got '{result.GetValue(nasClass)}')");
            int queryCount = result.GetValue(blastQueries) ?? StudyOptions.DefaultBlastQueries(isQuick);
            if (queryCount is < 1 or > 100_000) throw new UsageException($"--queries must be between 1 and 100000 (got {queryCount})");
            string? peerName = result.GetValue(peer);
            if (peerName != null && peerName != Configuration.OpenMpi) throw new UsageException($"unknown --peer '{peerName}' (expected: openmpi)");
            string? imbPath = result.GetValue(imb);
            if (imbPath != null && peerName == null) throw new UsageException("--imb applies only with --peer openmpi");
            if (imbPath != null && !File.Exists(imbPath)) throw new UsageException($"--imb: no such file '{imbPath}'");
            if (imbPath != null && MpiLinkage.Of(imbPath) == Configuration.Cosched)
                throw new UsageException($"--imb: '{imbPath}' was built with cosched mpicc (it links Cosched's libmpi.so): pass it as --imb-cosched");
            string? coschedImbPath = result.GetValue(imbCosched);
            if (coschedImbPath != null && !File.Exists(coschedImbPath)) throw new UsageException($"--imb-cosched: no such file '{coschedImbPath}'");
            if (coschedImbPath != null && MpiLinkage.Of(coschedImbPath) == Configuration.OpenMpi)
                throw new UsageException($"--imb-cosched: '{coschedImbPath}' was built with Open MPI (it links libmpi.so.40): build IMB-MPI1 with cosched mpicc, or pass this one as --peer openmpi --imb");
            string directory = result.GetValue(outDir) ?? DefaultOut;
            if (File.Exists(directory)) throw new UsageException($"--out '{directory}' is a file, not a directory");
            bool isResume = result.GetValue(resume);

            if (peerName != null && imbPath == null)
                Console.Error.WriteLine("cosched study: --peer openmpi needs Intel MPI Benchmarks (--imb PATH to IMB-MPI1); build it with "
                    + "`git clone https://github.com/intel/mpi-benchmarks && make -C mpi-benchmarks CC=mpicc IMB-MPI1`; going on without the peer");

            var options = new StudyOptions
            {
                OutDir = directory,
                Ranks = n,
                // --quick measures the applications against one VM only, the overhead the paper plots.
                VmCounts = chosenVms ?? (isQuick ? [.. StudyOptions.DefaultVmCounts(isQuick, n).Where(k => k > 0)] : StudyOptions.DefaultVmCounts(isQuick, n)),
                CollectiveScales = StudyOptions.DefaultScales(isQuick, n, chosenRanks, chosenVms, sizes ?? (isQuick ? "0:12" : "0:22"), wideMsgLog: sizes ?? "0:3"),
                Pins = pins,
                Channels = policies,
                Workloads = chosen,
                PingPongMsgLog = sizes ?? (isQuick ? "0:20" : "0:22"),
                Seconds = seconds,
                Rounds = roundCount,
                ShortRounds = result.GetValue(rounds) ?? StudyOptions.DefaultShortRounds,
                NasClass = problemClass,
                BlastQueries = queryCount,
                Peer = imbPath != null ? peerName : null,
                ImbPath = imbPath == null ? null : Path.GetFullPath(imbPath),
                CoschedImbPath = coschedImbPath == null ? null : Path.GetFullPath(coschedImbPath),
                NpbBinaries = binaries,
                Resume = isResume,
            };
            return Run(options);
        });
        return command;
    }

    private static int Run(StudyOptions options)
    {
        var watch = Stopwatch.StartNew();
        string database = ResultsStore.PathIn(options.OutDir);
        if (!options.Resume && File.Exists(database))
        {
            // A new study starts over, but never destroys measurements: the old database is kept aside.
            File.Move(database, database + ".previous", overwrite: true);
            Console.WriteLine($"cosched study: starting over in {options.OutDir} (the previous database is now {ResultsStore.FileName}.previous; --resume continues a study)");
        }
        using var store = ResultsStore.Open(options.OutDir);
        long machine = store.AddMachine(MachineInfo.Current(AppContext.BaseDirectory));
        // Ctrl-C, kill or a closed terminal: the run in progress is ended (its launcher removes its VMs)
        // and the study stops with what it has stored.
        using var interruption = new Interruption();
        var configurations = ConfigurationRunner.For(SelfCommand.Current(), options.ImbPath, options.OutDir, options.CoschedImbPath, options.NpbBinaries);
        var kernels = options.NasClass == null ? options.Workloads.Where(StudyWorkloads.NasKernels.Contains).ToList() : [];
        var classes = ApplicationCalibration.Choose(configurations, kernels, options.Ranks, store, machine, options.Resume, Console.Out, interruption.Token);
        if (interruption.Signal is { } signal) return Interrupted(signal, options);
        var plan = StudyPlan.Build(options, classes);
        DescribeNpb(plan, options);
        // What the plan holds, experiment by experiment: a study of NPB's binaries alone says nothing of collectives.
        var parts = new List<string>();
        var collectives = options.CollectiveScales.Select(s => (Scale: s, Planned: s.Collectives.Where(c => plan.Any(p => p.Workload == c && p.Ranks == s.Ranks)).ToList()))
            .Where(s => s.Planned.Count > 0).Select(s => $"{string.Join(",", s.Planned)} on {s.Scale.Ranks} ranks over VMs {string.Join(",", s.Scale.VmCounts)}").ToList();
        if (collectives.Count > 0) parts.Add($"collectives: {string.Join("; ", collectives)}");
        if (plan.Any(c => c.Experiment == Experiment.Applications && !StudyWorkloads.IsNpb(c.Workload)))
            parts.Add($"applications on {options.Ranks} ranks over VMs {string.Join(",", options.VmCounts)}");
        if (plan.Any(c => StudyWorkloads.IsNpb(c.Workload)))
            parts.Add($"NPB's binaries {string.Join(",", options.NpbBinaries.Where(b => plan.Any(c => c.Workload == b.Workload && c.MsgLog == b.Class && b.RunsOn(c.Ranks))).Select(b => b.FileName))}");
        Console.WriteLine($"cosched study: {plan.Count} configurations, {plan.Sum(options.RoundsOf)} runs in {(plan.Count == 0 ? 0 : plan.Max(options.RoundsOf))} rounds; {string.Join("; ", parts)}; "
            + $"channels {string.Join(",", options.Channels)}, pin {string.Join(",", options.Pins)}; results in {options.OutDir}");

        bool interactive = !Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive;
        var runner = new StudyRunner(configurations, store, machine, Console.Out);
        var summary = runner.Run(plan, options.RoundsOf, options.Resume, interactive, interruption.Token);
        if (interruption.Signal is { } stop) return Interrupted(stop, options);

        var written = ReportWriter.Write(options.OutDir, store);
        Console.WriteLine($"cosched study: {summary.Measured} runs measured, {summary.Failed} configurations failed, {summary.Skipped} runs already measured, in {watch.Elapsed.TotalMinutes:0.0} min");
        foreach (var finding in Findings.Sentences(written.Findings)) Console.WriteLine($"  - {finding}");
        Console.WriteLine($"cosched study: report in {written.Html} and {written.Markdown}, findings in {written.FindingsJson}, database {database}");
        return 0;
    }

    private static int Interrupted(PosixSignal signal, StudyOptions options)
    {
        Console.Error.WriteLine($"cosched study: {signal} received; stopped. What was measured is in {ResultsStore.PathIn(options.OutDir)}: `--resume` continues, `cosched report --out {options.OutDir}` writes its report");
        return Interruption.ExitCode(signal);
    }

    /// <summary>The NPB binaries of --npb DIR; a directory that holds none is a mistake worth a line.</summary>
    private static List<NpbBinary> FindNpb(string directory)
    {
        if (!Directory.Exists(directory)) throw new UsageException($"--npb: no such directory '{directory}'");
        var binaries = NpbBinary.In(directory);
        if (binaries.Count == 0)
            throw new UsageException($"--npb: no NPB binary in '{directory}' (expected NPB's names, e.g. cg.A.x, bt-mz.A.x or NPB 3.3's bt-mz.A.2, as its make puts them in bin/)");
        return binaries;
    }

    /// <summary>--workloads, with `npb` standing for every NPB binary of --npb DIR and `npb:KERNEL` for one
    /// kernel's; without --workloads, everything, NPB's binaries included.</summary>
    private static string[] ParseWorkloads(string? text, string? npbDirectory, IReadOnlyList<NpbBinary> binaries)
    {
        string[] found = [.. binaries.Select(b => b.Workload).Distinct()];
        if (text == null) return [.. StudyWorkloads.All, .. found];
        var asked = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (npbDirectory == null && asked.FirstOrDefault(w => w == StudyWorkloads.Npb || StudyWorkloads.IsNpb(w)) is { } needsNpb)
            throw new UsageException($"--workloads {needsNpb} needs --npb DIR (a directory of NPB binaries)");
        var chosen = ParseList(text, "--workloads", [.. StudyWorkloads.All, .. npbDirectory == null ? Array.Empty<string>() : [StudyWorkloads.Npb, .. found]])!;
        if (npbDirectory != null && !chosen.Any(w => w == StudyWorkloads.Npb || StudyWorkloads.IsNpb(w)))
            throw new UsageException($"--npb: --workloads names none of its binaries (add npb, or some of {string.Join(", ", found)})");
        return [.. chosen.SelectMany(w => w == StudyWorkloads.Npb ? found : [w]).Distinct()];
    }

    /// <summary>Says where NPB's rules changed the study's rank count, and which mixes the multi-zone benchmarks run.</summary>
    private static void DescribeNpb(IReadOnlyList<Configuration> plan, StudyOptions options)
    {
        foreach (var binary in options.NpbBinaries.Where(b => plan.Any(c => c.Workload == b.Workload && c.MsgLog == b.Class)))
        {
            string name = $"NPB {StudyWorkloads.Title(binary.Workload)} class {binary.Class}";
            if (binary.IsMultiZone)
                Console.WriteLine($"cosched study: {name} ({binary.FileName}): processes x threads {string.Join(", ", NpbRules.Mixes(binary.Kernel, binary.Class, options.Cores).Where(m => binary.RunsOn(m.Processes)).Select(m => $"{m.Processes}x{m.Threads}"))} (this host's {options.Cores} cores)");
            else if (binary.Processes is { } built && built != options.Ranks)
                Console.WriteLine($"cosched study: {name} on {built} {(built == 1 ? "rank" : "ranks")}, not {options.Ranks}: {binary.FileName} was built for them");
            else if (NpbRules.Ranks(binary.Kernel, options.Ranks) is var n && n != options.Ranks)
                Console.WriteLine($"cosched study: {name} on {n} {(n == 1 ? "rank" : "ranks")}, not {options.Ranks}: it needs {NpbRules.Rule(binary.Kernel)}");
        }
    }

    private static int[] ParseVmCounts(string text, int ranks)
    {
        var counts = new SortedSet<int> { 0 };
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int k))
                throw new UsageException($"--vms wants VM counts separated by commas, e.g. 0,1,2,4 (got '{text}')");
            if (k > ranks) throw new UsageException($"--vms {k} asks for more VMs than the {ranks} ranks (each VM needs at least one rank)");
            counts.Add(k);
        }
        return [.. counts];
    }

    private static string[]? ParseList(string? text, string option, string[] allowed)
    {
        if (text == null) return null;
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        if (items.Length == 0) throw new UsageException($"{option} needs at least one of: {string.Join(", ", allowed)}");
        foreach (var item in items)
            if (!allowed.Contains(item)) throw new UsageException($"unknown {option} '{item}' (expected some of: {string.Join(", ", allowed)})");
        return items;
    }

    private static bool ValidMsgLog(string text) =>
        text.Split(':') is [var a, var b] && int.TryParse(a, out int min) && int.TryParse(b, out int max) && min >= 0 && max <= 30 && min <= max;
}
