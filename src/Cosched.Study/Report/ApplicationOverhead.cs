using Cosched.Study.Plan;

namespace Cosched.Study.Report;

/// <summary>The paper's Fig. 3 as a table and a plot, for Cosched's own applications and for NPB's
/// binaries alike: for each application at one rank count and problem, its run time in every VM count
/// and, in brackets, the change against the same application in one VM, per channel policy; compact
/// placement. Each cell is the median of the runs with its 95% interval, each change a ratio of medians
/// with its own.</summary>
public static class ApplicationOverhead
{
    /// <param name="VmCounts">the VM counts of the table's columns, native first when measured.</param>
    public sealed record Overhead(ReportDocument.Table Table, IReadOnlyList<Plots.Series> Series, IReadOnlyList<int> VmCounts);

    /// <param name="runs">the applications' measured configurations, in the order their rows should come.</param>
    /// <param name="name">how a row names an application at its rank count and problem ("EP A", "BT A, 1 rank").</param>
    /// <returns>null when no application has both a 1-VM baseline and a run in more VMs.</returns>
    public static Overhead? Build(StudyResults results, IEnumerable<MeasuredConfiguration> runs, Func<MeasuredConfiguration, string> name)
    {
        var timed = runs.Where(r => r.Seconds.Count > 0 && r.Configuration.Pin == "compact").ToList();
        var vmCounts = timed.Select(r => r.Configuration.Vms).Distinct().Order().ToList();
        var series = new List<Plots.Series>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (workload, ranks, size) in timed.Select(r => (r.Configuration.Workload, r.Configuration.Ranks, r.Configuration.MsgLog)).Distinct())
            foreach (var channels in new[] { "per-vm", "locality" })
            {
                var baseline = results.Find(workload, Configuration.Cosched, ranks, 1, "compact", channels, size);
                if (baseline == null) continue;
                // Native has no channel policy between VMs: the same native run heads both rows.
                var points = vmCounts.Select(v => results.Find(workload, Configuration.Cosched, ranks, v, "compact", v == 0 ? "locality" : channels, size)).OfType<MeasuredConfiguration>().ToList();
                if (!points.Any(p => p.Configuration.Vms > 1)) continue;
                var overheads = points.Where(p => p.Configuration.Vms >= 1).Select(p => (p.Configuration.Vms, Ratio: Statistics.RatioOfMedians(p.Seconds, baseline.Seconds))).ToList();
                series.Add(new Plots.Series($"{name(baseline)}, {channels}", [.. overheads.Select(o => (double)o.Vms)],
                    [.. overheads.Select(o => (o.Ratio.Value - 1) * 100)], Dashed: channels == "locality",
                    [.. overheads.Select(o => (o.Ratio.Low - 1) * 100)], [.. overheads.Select(o => (o.Ratio.High - 1) * 100)]));
                rows.Add([name(baseline), channels,
                    .. vmCounts.Select(v => points.FirstOrDefault(p => p.Configuration.Vms == v) is { } p
                        ? $"{Seconds(Statistics.Summarize(p.Seconds))}{(v >= 1 ? $" ({Change(Statistics.RatioOfMedians(p.Seconds, baseline.Seconds))})" : "")}" : "")]);
            }
        return series.Count == 0 ? null : new Overhead(new ReportDocument.Table(["application", "channels", .. vmCounts.Select(Numbers.Vms)], rows), series, vmCounts);
    }

    /// <summary>The overhead plot: one line per application and policy, in percent against one VM.</summary>
    public static void Plot(string file, string title, Overhead overhead) =>
        Plots.ByVmCount(file, title, "overhead (%)", [.. overhead.VmCounts.Where(v => v >= 1)], overhead.Series, reference: 0);

    /// <summary>"1.234 s [1.200, 1.250]".</summary>
    public static string Seconds(Summary s) => $"{s.Median:0.000} s [{s.Low:0.000}, {s.High:0.000}]";

    /// <summary>A ratio as a change with its interval: "+3% [+1%, +5%]".</summary>
    public static string Change(Ratio r) =>
        $"{Numbers.Change((r.Value - 1) * 100)} [{Numbers.Change((r.Low - 1) * 100)}, {Numbers.Change((r.High - 1) * 100)}]";
}
