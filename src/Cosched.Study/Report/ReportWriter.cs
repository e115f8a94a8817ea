using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Report;

/// <summary>Writes a study's report into its directory: report.md, a self-contained report.html,
/// findings.json and the plots (plots/*.png), all computed from the database.</summary>
public static class ReportWriter
{
    public const string PlotFolder = "plots";

    /// <summary>The files written, report.md first.</summary>
    public sealed record Written(string Markdown, string Html, string FindingsJson, IReadOnlyList<string> Plots, IReadOnlyList<Finding> Findings);

    public static Written Write(string directory, ResultsStore store)
    {
        var results = new StudyResults(store);
        Directory.CreateDirectory(Path.Combine(directory, PlotFolder));
        var plots = new List<string>();
        var document = new ReportDocument();

        document.Add(new ReportDocument.Heading(1, "Cosched study: the paper's evaluation on this host"));
        document.Add(new ReportDocument.Paragraph(
            "What happens to an MPI job whose ranks are split over several virtual machines on one host, as measured by "
            + $"{PaperReference.Source}, measured again here: with `per-vm` channels (shared memory only inside a VM, tcp between VMs: what the paper measured) "
            + "and with `locality` channels (shared memory between all ranks of the host, even across VMs: the paper's proposed cure). "
            + "Slowdowns are against the same job run natively (no VMs) on this host."));
        DescribeMachine(document, results);

        var findings = Findings.Compute(results);
        document.Add(new ReportDocument.Heading(2, "Findings"));
        document.Add(new ReportDocument.Paragraph("A finding states a difference only where the 95% interval of its ratio excludes 1, "
            + $"and by at least {Findings.SmallestDifference * 100:0}% (chance separations of three runs are rarely that wide); "
            + $"every comparison, with its ratio, interval and verdict, is in `{Findings.FileName}`."));
        var sentences = Findings.Sentences(findings);
        document.Add(new ReportDocument.BulletList(sentences.Count > 0 ? sentences : ["Nothing was measured successfully (see the failed runs below)."]));

        foreach (int ranks in results.CollectiveRanks)
        {
            document.Add(new ReportDocument.Heading(2, $"Table 1: collectives at small messages, {results.RanksOnCores(ranks)}"));
            document.Add(new ReportDocument.Paragraph("Average latency over ranks in µs (IMB's t_avg), compact placement: the median of the runs, "
                + "in brackets its 95% interval; after it the slowdown against native with its interval. "
                + $"The last row is the paper's Table 1 (barrier, {PaperReference.Ranks} ranks)."));
            document.Add(Table1.Build(results, ranks, "compact"));
            if (results.Of(Experiment.Collectives).Any(r => r.Configuration.Ranks == ranks && r.Configuration.Pin == "scatter"))
            {
                document.Add(new ReportDocument.Paragraph($"The same with scatter placement (round-robin ranks over VMs; the paper measured barrier in 4 VMs scattered at {PaperReference.BarrierScatter4VmsUsec} µs):"));
                document.Add(Table1.Build(results, ranks, "scatter"));
            }
        }

        PointToPoint(document, results, directory, plots);
        Collectives(document, results, directory, plots);
        Applications(document, results, directory, plots);
        NpbSection.Add(document, results, directory, plots);
        MigrationSection.Add(document, results, directory, plots);
        Spread(document, results);
        Peer(document, results);
        Failures(document, results);

        string markdown = Path.Combine(directory, "report.md"), html = Path.Combine(directory, "report.html"), json = Path.Combine(directory, Findings.FileName);
        File.WriteAllText(markdown, MarkdownWriter.Render(document));
        File.WriteAllText(html, HtmlWriter.Render(document, directory));
        File.WriteAllText(json, Findings.Json(findings));
        return new Written(markdown, html, json, plots, findings);
    }

    private static void DescribeMachine(ReportDocument document, StudyResults results)
    {
        var items = new List<string>();
        foreach (var (_, machine) in results.Machines.DistinctBy(m => (m.Machine.CpuModel, m.Machine.Kernel, m.Machine.GitCommit, m.Machine.Host)))
            items.Add($"{machine.CpuModel}, {machine.Cores} cores, Linux {machine.Kernel}, {machine.DotNet}, Cosched {machine.GitCommit}, "
                + $"{(machine.Root ? "root" : "not root")}, started {machine.RecordedUtc:yyyy-MM-dd HH:mm} UTC, load average {machine.LoadAverage:0.0}"
                + (machine.LoadAverage > machine.Cores / 2.0 ? $" (other jobs were using this host's {machine.Cores} cores: expect noisy numbers, compare factors measured side by side)" : ""));
        var ranks = results.CollectiveRanks;
        if (ranks.Count > 0) items.Add($"collectives on {string.Join(" and on ", ranks.Select(results.RanksOnCores))} (the paper: {PaperReference.Ranks}), point-to-point on 2");
        var applicationRanks = results.Of(Experiment.Applications).Where(r => !StudyWorkloads.IsNpb(r.Configuration.Workload)).Select(r => r.Configuration.Ranks).Distinct().Order().ToList();
        if (applicationRanks.Count > 0) items.Add($"applications on {string.Join(", ", applicationRanks.Select(results.RanksOnCores))}");
        var npb = results.Planned.Where(c => StudyWorkloads.IsNpb(c.Workload)).DistinctBy(c => (c.Workload, c.MsgLog, c.Ranks, c.Threads))
            .OrderBy(c => StudyWorkloads.NpbOrder(c.Workload)).ThenBy(c => NpbRules.Classes.IndexOf(c.MsgLog, StringComparison.Ordinal)).ThenBy(c => c.Ranks).ToList();
        if (npb.Count > 0)
            items.Add("NPB's own binaries, built with Cosched's wrappers: " + string.Join(", ", npb.GroupBy(c => (c.Workload, c.MsgLog)).Select(g =>
                $"{StudyWorkloads.Title(g.Key.Workload)} class {g.Key.MsgLog} on {string.Join(" and ", g.Select(c => c.Experiment == Experiment.MultiZone ? $"{c.Ranks} x {c.Threads}" : results.RanksOnCores(c.Ranks)))}"
                + (g.First().Experiment == Experiment.MultiZone ? " (processes x threads)" : ""))));
        if (results.Of(Experiment.Migration).Any()) items.Add("migration on 2 ranks in 2 VMs over 2 simulated hosts");
        var (fewest, most) = results.Runs;
        if (most > 0)
            items.Add($"every figure is the median of {(fewest == most ? $"{most}" : $"{fewest} to {most}")} independent runs (separate launches, in rounds interleaved across configurations), "
                + $"with its 95% interval (percentile bootstrap over the runs, {Statistics.Resamples} resamples); the database keeps every run");
        var chosen = results.Calibrations.Where(c => c.Chosen).ToList();
        if (chosen.Count > 0)
            items.Add($"NAS classes, each the smallest whose native run lasted at least {ApplicationCalibration.MinimumSeconds} s "
                + $"({ApplicationCalibration.MinimumSeconds * ApplicationCalibration.Margin} s where the next class runs under {ApplicationCalibration.LongestSeconds} s) in a calibration run: {string.Join(", ", chosen.Select(c => $"{StudyWorkloads.Title(c.Workload)} {c.Class} ({c.Seconds:0.00} s)"))}");
        var kinds = results.VmKinds;
        if (kinds.Contains("process"))
            items.Add("VMs: the process provider, an EMULATION (not root): ranks are grouped, not isolated, and per-vm traffic between them is loopback tcp; run as root for network-namespace VMs");
        else if (kinds.Contains("namespace"))
            items.Add("VMs: network namespaces (own network, UTS, IPC and mount namespaces, a veth link to a host bridge, a cpuset each): traffic between VMs crosses a virtual network as between real VMs on one host");
        document.Add(new ReportDocument.Heading(2, "Where it ran"));
        document.Add(new ReportDocument.BulletList(items));
    }

    private static void PointToPoint(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        var runs = results.Measured.Where(r => r.Configuration.Experiment == Experiment.PointToPoint).ToList();
        if (runs.Count == 0) return;
        document.Add(new ReportDocument.Heading(2, "Point-to-point (the paper's Fig. 1)"));
        document.Add(new ReportDocument.Paragraph("PingPong between two ranks: one-way latency and bandwidth over message sizes (medians, bars: 95% intervals)."));
        var latency = runs.Select(r => Line(r, m => m.Latency));
        var bandwidth = runs.Select(r => Line(r, m => m.MbytesPerSec));
        AddPlot(document, directory, plots, "pingpong-latency.png", "PingPong latency", file => Plots.LogLog(file, "PingPong: one-way latency", "latency (µs)", latency));
        AddPlot(document, directory, plots, "pingpong-bandwidth.png", "PingPong bandwidth", file => Plots.LogLog(file, "PingPong: bandwidth", "MB/s", bandwidth));
    }

    private static void Collectives(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        if (!results.Of(Experiment.Collectives, mpi: null).Any()) return;
        document.Add(new ReportDocument.Heading(2, "Collectives (the paper's Table 1 and Fig. 4)"));
        foreach (int ranks in results.CollectiveRanks)
        {
            var vmCounts = results.VmCounts(Experiment.Collectives, ranks);
            string onCores = results.RanksOnCores(ranks);
            foreach (var collective in StudyWorkloads.Collectives)
            {
                var runs = results.Of(Experiment.Collectives, collective, mpi: null).Where(r => r.Configuration.Ranks == ranks).ToList();
                if (runs.Count == 0) continue;
                document.Add(new ReportDocument.Heading(3, $"{collective}, {onCores}"));
                if (results.NativeBaseline(collective, Configuration.Cosched, ranks) is { Size: var size })
                {
                    var series = new List<Plots.Series>();
                    foreach (var mpi in new[] { Configuration.Cosched, Configuration.CoschedImb }.Where(m => results.Native(collective, m, ranks) != null))
                        foreach (var channels in new[] { "per-vm", "locality" })
                            series.Add(SlowdownLine($"{Configuration.Title(mpi)}, {channels} channels", results, collective, mpi, ranks, channels, vmCounts));
                    if (results.Native(collective, Configuration.OpenMpi, ranks) != null)
                        series.Add(SlowdownLine("Open MPI, tcp between VMs", results, collective, Configuration.OpenMpi, ranks, "per-vm", vmCounts));
                    if (collective == "barrier")
                        series.Add(new Plots.Series($"the paper ({PaperReference.Ranks} ranks, InfiniBand)",
                            [.. PaperReference.BarrierUsec.Keys.Select(k => (double)k)], [.. PaperReference.BarrierUsec.Values.Select(v => v / PaperReference.BarrierUsec[0])], Dashed: true));
                    string what = collective == "barrier" ? "barrier" : $"{collective} {Numbers.Bytes(size)}";
                    AddPlot(document, directory, plots, $"{collective}-n{ranks}-slowdown.png", $"{what}, {onCores}: slowdown against native by VM count",
                        file => Plots.ByVmCount(file, $"{what}, {onCores}: slowdown against native", "slowdown (x, log scale)", vmCounts, series, reference: 1, logY: true));
                }
                if (collective == "barrier") continue;   // no message sizes
                foreach (var pin in runs.Select(r => r.Configuration.Pin).Distinct().Order())
                {
                    var lines = runs.Where(r => r.Configuration.Vms == 0 || r.Configuration.Pin == pin)
                        .OrderBy(r => r.Configuration.Mpi).ThenBy(r => r.Configuration.Vms).ThenBy(r => r.Configuration.Channels)
                        .Select(r => Line(r, m => m.Latency));
                    AddPlot(document, directory, plots, $"{collective}-n{ranks}-{pin}-latency.png", $"{collective}, {onCores}, {pin} placement: latency by message size",
                        file => Plots.LogLog(file, $"{collective}, {onCores} ({pin} placement)", "t_avg (µs)", lines));
                }
            }
        }
    }

    /// <summary>Slowdown against native by VM count, each point the ratio of medians with its interval.</summary>
    private static Plots.Series SlowdownLine(string name, StudyResults results, string collective, string mpi, int ranks, string channels, IReadOnlyList<int> vmCounts)
    {
        var baseline = results.NativeBaseline(collective, mpi, ranks);
        var points = new List<(double X, Ratio Ratio)>();
        foreach (int vms in vmCounts)
        {
            var run = vms == 0 ? results.Native(collective, mpi, ranks) : results.Find(collective, mpi, ranks, vms, "compact", channels);
            if (baseline != null && run?.LatenciesAt(baseline.Size) is { Count: > 0 } values) points.Add((vms, Statistics.RatioOfMedians(values, baseline.Latencies)));
        }
        return new Plots.Series(name, [.. points.Select(p => p.X)], [.. points.Select(p => p.Ratio.Value)], Dashed: mpi != Configuration.Cosched,
            [.. points.Select(p => p.Ratio.Low)], [.. points.Select(p => p.Ratio.High)]);
    }

    private static void Applications(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        if (!results.Planned.Any(c => c.Experiment == Experiment.Applications && !StudyWorkloads.IsNpb(c.Workload))) return;
        document.Add(new ReportDocument.Heading(2, "Applications (the paper's Fig. 3)"));
        var runs = results.Of(Experiment.Applications).Where(r => !StudyWorkloads.IsNpb(r.Configuration.Workload))
            .OrderBy(r => Array.IndexOf(StudyWorkloads.Applications, r.Configuration.Workload));
        if (ApplicationOverhead.Build(results, runs, r => $"{StudyWorkloads.Title(r.Configuration.Workload)} {r.ApplicationClass}") is not { } overhead)
        {
            var reason = results.Failed.FirstOrDefault(r => r.Configuration.Experiment == Experiment.Applications && !StudyWorkloads.IsNpb(r.Configuration.Workload))?.Error;
            document.Add(new ReportDocument.Paragraph($"No application was measured{(reason != null ? $" ({reason})" : "")}."));
            return;
        }
        document.Add(new ReportDocument.Paragraph("Run time of each NAS kernel and of the BLAST search (synthetic proteins, see `cosched blast`): the median of the runs in seconds "
            + "with its 95% interval, and in brackets the change against the same application in one VM (positive: slower) with that interval; compact placement. "
            + "The paper saw 1% to 3% for its pseudo-applications in 16 VMs and more for CG and FT; mpiBLAST differed little between its configurations."));
        document.Add(overhead.Table);
        AddPlot(document, directory, plots, "applications-overhead.png", "Applications: overhead against one VM",
            file => ApplicationOverhead.Plot(file, "Applications: overhead against 1 VM", overhead));
    }

    /// <summary>How wide the intervals came out on this host: the width of each figure's 95% interval
    /// relative to its median, by experiment.</summary>
    private static void Spread(ReportDocument document, StudyResults results)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var experiment in new[] { Experiment.PointToPoint, Experiment.Collectives, Experiment.Applications, Experiment.MultiZone, Experiment.Migration })
        {
            var widths = new List<double>();
            foreach (var run in results.Of(experiment, mpi: null))
            {
                var samples = experiment switch
                {
                    Experiment.Applications or Experiment.MultiZone => [run.Seconds],
                    Experiment.Migration => new MigrationPolicy(run).PhaseLatencies,
                    _ => run.Sizes.Select(run.LatenciesAt),
                };
                foreach (var values in samples.Where(v => v.Count > 1))
                {
                    var summary = Statistics.Summarize(values);
                    if (summary.Median > 0) widths.Add((summary.High - summary.Low) / summary.Median * 100);
                }
            }
            if (widths.Count == 0) continue;
            var sorted = widths.Order().ToList();
            rows.Add([experiment, $"{sorted.Count}", $"{Statistics.Median(sorted):0.0}%", $"{sorted[(int)Math.Ceiling(0.9 * (sorted.Count - 1))]:0.0}%", $"{sorted[^1]:0.0}%"]);
        }
        if (rows.Count == 0) return;
        document.Add(new ReportDocument.Heading(2, "Spread on this host"));
        document.Add(new ReportDocument.Paragraph("Width of the 95% interval of each figure (a latency at one size, an application's run time, a phase's latency in the migration) relative to its median: "
            + "a difference smaller than this is no finding."));
        document.Add(new ReportDocument.Table(["experiment", "figures", "median width", "90th percentile", "widest"], rows));
    }

    /// <summary>The other implementations of the micro-benchmarks: Intel MPI Benchmarks built with
    /// Cosched's wrapper (the same runtime under IMB's code, through the C API), and under Open MPI.</summary>
    private static void Peer(ReportDocument document, StudyResults results)
    {
        var mpis = results.Planned.Select(c => c.Mpi).ToHashSet();
        document.Add(new ReportDocument.Heading(2, "Intel MPI Benchmarks beside Cosched's own"));
        document.Add(new ReportDocument.Paragraph(mpis.Contains(Configuration.CoschedImb)
            ? "IMB on Cosched: IMB-MPI1 built with `cosched mpicc` ran under `cosched run` in the very configurations of Cosched's own benchmarks (`cosched bench`), "
                + "both channel policies across VMs: the same runtime under Intel's benchmark code, through Cosched's MPI library for C. Its rows are in the tables and its lines (dashed) in the plots."
            : "IMB on Cosched: not measured; run the study with `--imb-cosched PATH`, an IMB-MPI1 built with Cosched's wrapper "
                + "(`make CC=.build/mpi/bin/mpicc CXX=.build/mpi/bin/mpicxx CPPFLAGS=-DOMPI_SKIP_MPICXX=1 IMB-MPI1`, after `./cosched mpi-env`)."));
        document.Add(new ReportDocument.Paragraph(mpis.Contains(Configuration.OpenMpi)
            ? "Open MPI: Intel MPI Benchmarks under Open MPI ran in the same configurations: natively with its shared-memory (vader) and tcp transports, and across the same VMs through `cosched mpirun` (tcp between VMs: Open MPI has no shared memory across them). Its rows are in the table and the plots."
            : "Open MPI: not measured; run the study with `--peer openmpi --imb PATH` (an IMB-MPI1 binary built against Open MPI, e.g. from github.com/intel/mpi-benchmarks with `make CC=mpicc CXX=mpicxx CPPFLAGS=-DOMPI_SKIP_MPICXX=1 IMB-MPI1`)."));
    }

    private static void Failures(ReportDocument document, StudyResults results)
    {
        if (results.Failed.Count == 0) return;
        document.Add(new ReportDocument.Heading(2, "Runs that failed"));
        document.Add(new ReportDocument.Table(["configuration", "round", "error"],
            [.. results.Failed.Select(r => (IReadOnlyList<string>)[r.Configuration.Key, $"{r.Round + 1}", r.Error ?? ""])]));
    }

    /// <summary>A configuration's medians over message sizes, with their intervals.</summary>
    private static Plots.Series Line(MeasuredConfiguration run, Func<Measurement, double?> value)
    {
        var points = run.Sizes.Select(bytes => (Bytes: bytes, Values: run.ValuesAt(bytes, value))).Where(p => p.Values.Count > 0)
            .Select(p => (p.Bytes, Summary: Statistics.Summarize(p.Values))).ToList();
        var c = run.Configuration;
        return new Plots.Series($"{Configuration.Title(c.Mpi)}, {c.Scenario}",
            [.. points.Select(p => (double)p.Bytes)], [.. points.Select(p => p.Summary.Median)], Dashed: c.Mpi != Configuration.Cosched,
            [.. points.Select(p => p.Summary.Low)], [.. points.Select(p => p.Summary.High)]);
    }

    internal static void AddPlot(ReportDocument document, string directory, List<string> plots, string name, string caption, Action<string> draw)
    {
        var relative = Path.Combine(PlotFolder, name);
        draw(Path.Combine(directory, relative));
        plots.Add(Path.Combine(directory, relative));
        document.Add(new ReportDocument.Image(relative, caption));
    }
}
