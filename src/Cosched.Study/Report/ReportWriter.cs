using Cosched.Study.Plan;
using Cosched.Study.Store;

namespace Cosched.Study.Report;

/// <summary>Writes a study's report into its directory: report.md, a self-contained report.html and
/// the plots (plots/*.png), all computed from the database.</summary>
public static class ReportWriter
{
    public const string PlotFolder = "plots";

    /// <summary>The files written, report.md first.</summary>
    public sealed record Written(string Markdown, string Html, IReadOnlyList<string> Plots);

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

        document.Add(new ReportDocument.Heading(2, "Findings"));
        var findings = Findings.Compute(results);
        document.Add(new ReportDocument.BulletList(findings.Count > 0 ? findings : ["Nothing was measured successfully (see the failed configurations below)."]));

        document.Add(new ReportDocument.Heading(2, "Table 1: collectives at small messages"));
        document.Add(new ReportDocument.Paragraph("Average latency over ranks in µs (IMB's t_avg), compact placement; in brackets the slowdown against native. "
            + "The last row is the paper's Table 1 (barrier, 16 ranks)."));
        document.Add(Table1.Build(results, "compact"));
        if (results.Of(Experiment.Collectives).Any(r => r.Configuration.Pin == "scatter"))
        {
            document.Add(new ReportDocument.Paragraph($"The same with scatter placement (round-robin ranks over VMs; the paper measured barrier in 4 VMs scattered at {PaperReference.BarrierScatter4VmsUsec} µs):"));
            document.Add(Table1.Build(results, "scatter"));
        }

        PointToPoint(document, results, directory, plots);
        Collectives(document, results, directory, plots);
        Applications(document, results, directory, plots);
        Peer(document, results);
        Failures(document, results);

        string markdown = Path.Combine(directory, "report.md"), html = Path.Combine(directory, "report.html");
        File.WriteAllText(markdown, MarkdownWriter.Render(document));
        File.WriteAllText(html, HtmlWriter.Render(document, directory));
        return new Written(markdown, html, plots);
    }

    private static void DescribeMachine(ReportDocument document, StudyResults results)
    {
        var items = new List<string>();
        foreach (var (_, machine) in results.Machines.DistinctBy(m => (m.Machine.CpuModel, m.Machine.Kernel, m.Machine.GitCommit, m.Machine.Host)))
            items.Add($"{machine.CpuModel}, {machine.Cores} cores, Linux {machine.Kernel}, {machine.DotNet}, Cosched {machine.GitCommit}, "
                + $"{(machine.Root ? "root" : "not root")}, started {machine.RecordedUtc:yyyy-MM-dd HH:mm} UTC, load average {machine.LoadAverage:0.0}"
                + (machine.LoadAverage > machine.Cores / 2.0 ? $" (other jobs were using this host's {machine.Cores} cores: expect noisy numbers, compare factors measured side by side)" : ""));
        var ranks = results.Of(Experiment.Collectives).Select(r => r.Configuration.Ranks).Distinct().Order().ToList();
        if (ranks.Count > 0) items.Add($"collectives and applications on {string.Join(", ", ranks)} ranks (the paper: {PaperReference.Ranks}), point-to-point on 2");
        int rounds = results.Measured.SelectMany(r => r.Measurements).Select(m => m.Round + 1).DefaultIfEmpty(0).Max();
        if (rounds > 1) items.Add($"each micro-benchmark ran {rounds} times; tables and plots show, per message size, the best round (the database keeps every round): on a shared host a round that other jobs preempt only gets slower");
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
        document.Add(new ReportDocument.Paragraph("PingPong between two ranks: one-way latency and bandwidth over message sizes."));
        var latency = runs.Select(r => Line(r, m => m.Latency));
        var bandwidth = runs.Select(r => Line(r, m => m.MbytesPerSec));
        AddPlot(document, directory, plots, "pingpong-latency.png", "PingPong latency", file => Plots.LogLog(file, "PingPong: one-way latency", "latency (µs)", latency));
        AddPlot(document, directory, plots, "pingpong-bandwidth.png", "PingPong bandwidth", file => Plots.LogLog(file, "PingPong: bandwidth", "MB/s", bandwidth));
    }

    private static void Collectives(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        var any = results.Of(Experiment.Collectives, mpi: null).ToList();
        if (any.Count == 0) return;
        document.Add(new ReportDocument.Heading(2, "Collectives (the paper's Table 1 and Fig. 4)"));
        var vmCounts = results.VmCounts;
        foreach (var collective in StudyWorkloads.Collectives)
        {
            var runs = any.Where(r => r.Configuration.Workload == collective).ToList();
            if (runs.Count == 0) continue;
            document.Add(new ReportDocument.Heading(3, collective));
            var native = results.Native(collective, Configuration.Cosched);
            if (native != null && StudyResults.SmallSize(native) is var size && StudyResults.LatencyAt(native, size) is > 0 and var baseline)
            {
                var series = new List<Plots.Series>();
                foreach (var channels in new[] { "per-vm", "locality" })
                    series.Add(SlowdownLine($"Cosched, {channels} channels", results, collective, Configuration.Cosched, channels, size, baseline, vmCounts));
                if (results.Native(collective, Configuration.OpenMpi) is { } openMpiNative && StudyResults.LatencyAt(openMpiNative, size) is > 0 and var openMpiBaseline)
                    series.Add(SlowdownLine("Open MPI, tcp between VMs", results, collective, Configuration.OpenMpi, "per-vm", size, openMpiBaseline, vmCounts));
                if (collective == "barrier")
                    series.Add(new Plots.Series($"the paper ({PaperReference.Ranks} ranks, InfiniBand)",
                        [.. PaperReference.BarrierUsec.Keys.Select(k => (double)k)], [.. PaperReference.BarrierUsec.Values.Select(v => v / PaperReference.BarrierUsec[0])], Dashed: true));
                string what = collective == "barrier" ? "barrier" : $"{collective} {Numbers.Bytes(size)}";
                AddPlot(document, directory, plots, $"{collective}-slowdown.png", $"{what}: slowdown against native by VM count",
                    file => Plots.ByVmCount(file, $"{what}: slowdown against native", "slowdown (x, log scale)", vmCounts, series, reference: 1, logY: true));
            }
            if (collective == "barrier") continue;   // no message sizes
            foreach (var pin in runs.Select(r => r.Configuration.Pin).Distinct().Order())
            {
                var lines = runs.Where(r => r.Configuration.Vms == 0 || r.Configuration.Pin == pin)
                    .OrderBy(r => r.Configuration.Mpi).ThenBy(r => r.Configuration.Vms).ThenBy(r => r.Configuration.Channels)
                    .Select(r => Line(r, m => m.Latency));
                AddPlot(document, directory, plots, $"{collective}-{pin}-latency.png", $"{collective}, {pin} placement: latency by message size",
                    file => Plots.LogLog(file, $"{collective} ({pin} placement)", "t_avg (µs)", lines));
            }
        }
    }

    private static Plots.Series SlowdownLine(string name, StudyResults results, string collective, string mpi, string channels, long size, double baseline, IReadOnlyList<int> vmCounts)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (int vms in vmCounts)
            if (StudyResults.LatencyAt(vms == 0 ? results.Native(collective, mpi) : results.Find(collective, mpi, vms, "compact", channels), size) is { } value)
            {
                xs.Add(vms);
                ys.Add(value / baseline);
            }
        return new Plots.Series(name, [.. xs], [.. ys], Dashed: mpi == Configuration.OpenMpi);
    }

    private static void Applications(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        bool planned = results.Measured.Concat(results.Failed).Any(r => r.Configuration.Experiment == Experiment.Applications);
        if (!planned) return;
        document.Add(new ReportDocument.Heading(2, "Applications (the paper's Fig. 3)"));
        var runs = results.Of(Experiment.Applications).Where(r => r.Application != null && r.Configuration.Pin == "compact").ToList();
        var vmCounts = runs.Select(r => r.Configuration.Vms).Where(v => v >= 1).Distinct().Order().ToList();
        var series = new List<Plots.Series>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var kernel in StudyWorkloads.Applications)
            foreach (var channels in new[] { "per-vm", "locality" })
            {
                var baseline = results.Find(kernel, Configuration.Cosched, 1, "compact", channels);
                if (baseline?.Application == null) continue;
                var points = vmCounts.Select(v => results.Find(kernel, Configuration.Cosched, v, "compact", channels))
                    .Where(r => r?.Application != null).Select(r => r!).ToList();
                series.Add(new Plots.Series($"{StudyWorkloads.Title(kernel)}, {channels}", [.. points.Select(p => (double)p.Configuration.Vms)],
                    [.. points.Select(p => (p.Application!.Seconds / baseline.Application!.Seconds - 1) * 100)], Dashed: channels == "locality"));
                rows.Add([$"{StudyWorkloads.Title(kernel)} {baseline.Application!.Class}", channels,
                    .. vmCounts.Select(v => points.FirstOrDefault(p => p.Configuration.Vms == v) is { } p ? $"{p.Application!.Seconds:0.000} s ({(p.Application.Seconds / baseline.Application.Seconds - 1) * 100:+0.0;-0.0}%)" : "")]);
            }
        if (series.Count == 0)
        {
            var reason = results.Failed.FirstOrDefault(r => r.Configuration.Experiment == Experiment.Applications)?.Error;
            document.Add(new ReportDocument.Paragraph($"No application was measured{(reason != null ? $" ({reason})" : "")}."));
            return;
        }
        document.Add(new ReportDocument.Paragraph("Run time of each NAS kernel and of the BLAST search (synthetic proteins, see `cosched blast`) "
            + "against the same application in one VM (positive: slower), compact placement."));
        document.Add(new ReportDocument.Table(["application", "channels", .. vmCounts.Select(Numbers.Vms)], rows));
        AddPlot(document, directory, plots, "applications-overhead.png", "Applications: overhead against one VM",
            file => Plots.ByVmCount(file, "Applications: overhead against 1 VM", "overhead (%)", vmCounts, series, reference: 0));
    }

    private static void Peer(ReportDocument document, StudyResults results)
    {
        bool peer = results.Measured.Concat(results.Failed).Any(r => r.Configuration.Mpi == Configuration.OpenMpi);
        document.Add(new ReportDocument.Heading(2, "Open MPI beside Cosched"));
        document.Add(new ReportDocument.Paragraph(peer
            ? "Intel MPI Benchmarks under Open MPI ran in the same configurations: natively with its shared-memory (vader) and tcp transports, and across the same VMs through `cosched mpirun` (tcp between VMs: Open MPI has no shared memory across them). Its rows are in the table and the plots."
            : "Not measured: run the study with `--peer openmpi --imb PATH` (an IMB-MPI1 binary built against Open MPI, e.g. from github.com/intel/mpi-benchmarks with `make CC=mpicc IMB-MPI1`)."));
    }

    private static void Failures(ReportDocument document, StudyResults results)
    {
        if (results.Failed.Count == 0) return;
        document.Add(new ReportDocument.Heading(2, "Configurations that failed"));
        document.Add(new ReportDocument.Table(["configuration", "error"],
            [.. results.Failed.Select(r => (IReadOnlyList<string>)[r.Configuration.Key, r.Error ?? ""])]));
    }

    private static Plots.Series Line(StoredRun run, Func<Running.Measurement, double?> value)
    {
        var rows = run.Best.Where(m => value(m) != null).ToList();
        var c = run.Configuration;
        return new Plots.Series($"{(c.Mpi == Configuration.OpenMpi ? "Open MPI" : "Cosched")}, {c.Scenario}",
            [.. rows.Select(m => (double)m.Bytes)], [.. rows.Select(m => value(m)!.Value)], Dashed: c.Mpi == Configuration.OpenMpi);
    }

    private static void AddPlot(ReportDocument document, string directory, List<string> plots, string name, string caption, Action<string> draw)
    {
        var relative = Path.Combine(PlotFolder, name);
        draw(Path.Combine(directory, relative));
        plots.Add(Path.Combine(directory, relative));
        document.Add(new ReportDocument.Image(relative, caption));
    }
}
