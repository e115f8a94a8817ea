using Cosched.Study.Plan;

namespace Cosched.Study.Report;

/// <summary>The report's section on NPB's multi-zone benchmarks (the paper's Fig. 2): for each
/// benchmark and class, a table of its run time in every processes x threads mix natively and in VMs
/// (with the change against native in the same mix), and a plot of the run times by mix; or why the
/// multi-zone part did not run.</summary>
public static class MultiZoneSection
{
    public static void Add(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        document.Add(new ReportDocument.Heading(2, "NPB multi-zone: processes x threads (the paper's Fig. 2)"));
        var planned = results.Planned.Where(c => c.Experiment == Experiment.MultiZone).ToList();
        if (planned.Count == 0)
        {
            document.Add(new ReportDocument.Paragraph("The multi-zone part did not run: the `--npb` directory held no BT-MZ, SP-MZ or LU-MZ binary "
                + "(NPB3.4-MZ's, named like `bt-mz.A.x`; built with `cosched mpif90` as the single-zone kernels are)."));
            return;
        }
        document.Add(new ReportDocument.Paragraph($"NPB's multi-zone benchmarks in every mix of processes x OpenMP threads that fills this host's {results.Cores} cores "
            + "(OMP_NUM_THREADS set for each rank; with several threads a rank is bound to its VM's cores, not to one), natively and in every VM count that divides the processes, "
            + "with both channel policies across VMs. Run time in seconds by NPB's own timer, the median of the runs with its 95% interval, "
            + "and in brackets the change against native in the same mix (positive: slower) with that interval."));
        foreach (var (workload, size) in planned.Select(c => (c.Workload, c.MsgLog)).Distinct()
            .OrderBy(b => StudyWorkloads.NpbOrder(b.Workload)).ThenBy(b => NpbRules.Classes.IndexOf(b.MsgLog, StringComparison.Ordinal)))
            Benchmark(document, results, directory, plots, workload, size);
    }

    private static void Benchmark(ReportDocument document, StudyResults results, string directory, List<string> plots, string workload, string size)
    {
        string title = $"{StudyWorkloads.Title(workload)} class {size}";
        document.Add(new ReportDocument.Heading(3, title));
        var runs = results.Of(Experiment.MultiZone, workload).Where(r => r.Configuration.MsgLog == size && r.Seconds.Count > 0).ToList();
        if (runs.Count == 0)
        {
            var reason = results.Failed.FirstOrDefault(r => r.Configuration.Workload == workload && r.Configuration.MsgLog == size)?.Error;
            document.Add(new ReportDocument.Paragraph($"Not measured{(reason != null ? $" ({reason})" : "")}."));
            return;
        }
        var mixes = runs.Select(r => (r.Configuration.Ranks, r.Configuration.Threads)).Distinct().OrderBy(m => m.Ranks).ToList();
        // One column per place the ranks ran: native, 1 VM, then k VMs with each policy.
        var scenarios = runs.Select(r => (r.Configuration.Vms, Channels: r.Configuration.Vms <= 1 ? "" : r.Configuration.Channels)).Distinct()
            .OrderBy(s => s.Vms).ThenByDescending(s => s.Channels == "per-vm").ToList();
        MeasuredConfiguration? Find((int Ranks, int Threads) mix, (int Vms, string Channels) scenario) =>
            results.Find(workload, Configuration.Cosched, mix.Ranks, scenario.Vms, "compact", scenario.Vms == 0 ? "locality" : scenario.Channels, size, mix.Threads);
        string Name((int Vms, string Channels) scenario) => scenario.Vms <= 1 ? Numbers.Vms(scenario.Vms) : $"{scenario.Vms} VMs {scenario.Channels}";

        var rows = new List<IReadOnlyList<string>>();
        foreach (var mix in mixes)
        {
            var native = Find(mix, (0, ""));
            rows.Add([$"{mix.Ranks} x {mix.Threads}", .. scenarios.Select(s => Find(mix, s) is { } run
                ? $"{ApplicationOverhead.Seconds(Statistics.Summarize(run.Seconds))}{(s.Vms > 0 && native != null ? $" ({ApplicationOverhead.Change(Statistics.RatioOfMedians(run.Seconds, native.Seconds))})" : "")}"
                : "")]);
        }
        document.Add(new ReportDocument.Table(["processes x threads", .. scenarios.Select(Name)], rows));

        var series = scenarios.Select(s =>
        {
            var points = mixes.Select((mix, i) => (X: i, Run: Find(mix, s))).Where(p => p.Run != null).Select(p => (p.X, Summary: Statistics.Summarize(p.Run!.Seconds))).ToList();
            return new Plots.Series(Name(s), [.. points.Select(p => (double)p.X)], [.. points.Select(p => p.Summary.Median)], Dashed: s.Channels == "locality",
                [.. points.Select(p => p.Summary.Low)], [.. points.Select(p => p.Summary.High)]);
        }).ToList();
        string file = $"{StudyWorkloads.NpbKernel(workload)}-{size}-mixes.png";
        ReportWriter.AddPlot(document, directory, plots, file, $"{title}: run time by processes x threads, natively and in VMs",
            path => Plots.ByCategory(path, $"{title}: run time by processes x threads", "processes x threads", "run time (s)", [.. mixes.Select(m => $"{m.Ranks} x {m.Threads}")], series));
    }
}
