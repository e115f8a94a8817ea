using System.Globalization;
using System.Text.Json;
using Cosched.Scheduling.Metrics;
using Cosched.Study.Report;

namespace Cosched.Scheduling.Report;

/// <summary>The report comparing the policies (schedule-report.md and .html, plots in plots/): the
/// real runs of a queue, the simulator's error on them, and the simulations of traces with that
/// error stated beside every simulated figure.</summary>
public static class ScheduleReport
{
    public const string Markdown = "schedule-report.md", Html = "schedule-report.html";

    /// <summary>Writes the report of every result file in <paramref name="directory"/>; returns the HTML's path.</summary>
    public static string Write(string directory)
    {
        var real = Read<ScheduleResult>(directory, "real-");
        var calibrations = Read<CalibrationResult>(directory, "calibration-");
        var traces = Read<ScheduleResult>(directory, "trace-");
        if (real.Count + traces.Count == 0) throw new FileNotFoundException($"{directory}: no schedule results (real-*.json or trace-*.json) to report");
        var doc = new ReportDocument();
        doc.Add(new ReportDocument.Heading(1, "Cosched: scheduling policies compared"));
        doc.Add(new ReportDocument.Paragraph("Makespan: first submit to last end. Utilisation: useful core-seconds (ranks times dedicated run time) over cores times makespan. " +
            "Bounded slowdown: max(1, (wait + run) / max(run, 10 s)). Migrations: jobs moved at least once (moves in all in brackets). How each policy decides: docs/SCHEDULING.md."));
        Directory.CreateDirectory(Path.Combine(directory, "plots"));

        double? error = calibrations.Count > 0 ? calibrations.Max(c => Math.Abs(c.MakespanError)) : null;
        if (real.Count > 0)
        {
            var first = real[0];
            doc.Add(new ReportDocument.Heading(2, $"Real runs: {first.Workload} on {first.Hosts} host(s) of {first.CoresPerHost} cores"));
            doc.Add(Table(real, calibrations));
            Compare(doc, directory, "real", real, calibrations);
            if (calibrations.Count > 0)
            {
                doc.Add(new ReportDocument.Heading(3, "Calibration: the simulator on the same queue"));
                doc.Add(new ReportDocument.Table(["policy", "real makespan s", "simulated s", "makespan error", "mean |job run time error|", "max |job error|"],
                    calibrations.Select(c => (IReadOnlyList<string>)[c.Policy, F(c.RealMakespanS), F(c.SimulatedMakespanS), P(c.MakespanError), P(c.MeanAbsoluteRunError), P(c.MaxAbsoluteRunError)]).ToList()));
            }
        }
        foreach (var group in traces.GroupBy(t => (t.Workload, t.Hosts, t.CoresPerHost)))
        {
            var results = group.ToList();
            doc.Add(new ReportDocument.Heading(2, $"Simulated: {group.Key.Workload} ({results[0].Metrics.Jobs} jobs) on {group.Key.Hosts} hosts of {group.Key.CoresPerHost} cores"));
            doc.Add(new ReportDocument.Paragraph(error is { } e
                ? $"Simulator error measured on the real runs: makespan within {e:P1} (largest over the policies run for real); every figure below carries that uncertainty."
                : "The simulator has not been calibrated against a real run in this directory (run `cosched schedule run` into it): treat these figures as uncalibrated."));
            doc.Add(Table(results, []));
            Compare(doc, directory, $"trace-{Slug(group.Key.Workload)}", results, []);
        }
        File.WriteAllText(Path.Combine(directory, Markdown), MarkdownWriter.Render(doc));
        var html = Path.Combine(directory, Html);
        File.WriteAllText(html, HtmlWriter.Render(doc, directory, "Cosched scheduling report"));
        return html;
    }

    private static ReportDocument.Table Table(IReadOnlyList<ScheduleResult> results, IReadOnlyList<CalibrationResult> calibrations) =>
        new(["policy", "jobs", "makespan s", "utilisation", "mean wait s", "p95 wait s", "mean bounded slowdown", "jobs/hour", "migrations", "vs exclusive"],
            results.Select(r =>
            {
                var m = r.Metrics;
                var exclusive = results.FirstOrDefault(x => x.Policy == "exclusive");
                string versus = exclusive == null || exclusive == r ? "" : $"{(m.MakespanS / exclusive.Metrics.MakespanS - 1):+0.0%;-0.0%} makespan";
                return (IReadOnlyList<string>)[r.Policy, m.Jobs.ToString(CultureInfo.InvariantCulture), F(m.MakespanS), $"{m.Utilisation:P1}", F(m.MeanWaitS), F(m.P95WaitS),
                    m.MeanBoundedSlowdown.ToString("0.00", CultureInfo.InvariantCulture), m.JobsPerHour.ToString("0.0", CultureInfo.InvariantCulture), $"{m.Migrations} ({m.Moves})", versus];
            }).ToList());

    private static void Compare(ReportDocument doc, string directory, string name, IReadOnlyList<ScheduleResult> results, IReadOnlyList<CalibrationResult> calibrations)
    {
        var policies = results.Select(r => r.Policy).ToList();
        var xs = policies.Select((_, i) => (double)i).ToArray();
        var makespan = new List<Plots.Series> { new(results[0].Kind, xs, [.. results.Select(r => r.Metrics.MakespanS)]) };
        if (calibrations.Count > 0)
            makespan.Add(new Plots.Series("simulated", [.. policies.Select((p, i) => (p, i)).Where(t => calibrations.Any(c => c.Policy == t.p)).Select(t => (double)t.i)],
                [.. policies.Where(p => calibrations.Any(c => c.Policy == p)).Select(p => calibrations.First(c => c.Policy == p).SimulatedMakespanS)], Dashed: true));
        Plots.Bars(Path.Combine(directory, "plots", $"{name}-makespan.png"), "Makespan by policy", "policy", "makespan (s)", policies, makespan);
        Plots.Bars(Path.Combine(directory, "plots", $"{name}-slowdown.png"), "Mean bounded slowdown by policy", "policy", "mean bounded slowdown", policies,
            [new Plots.Series(results[0].Kind, xs, [.. results.Select(r => r.Metrics.MeanBoundedSlowdown)])], reference: 1.0);
        doc.Add(new ReportDocument.Image($"plots/{name}-makespan.png", $"Makespan by policy ({results[0].Kind})"));
        doc.Add(new ReportDocument.Image($"plots/{name}-slowdown.png", $"Mean bounded slowdown by policy ({results[0].Kind})"));
    }

    private static List<T> Read<T>(string directory, string prefix)
    {
        var order = Policies.PolicyNames.All.ToList();
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, prefix + "*.json")
                .OrderBy(f => order.IndexOf(Path.GetFileNameWithoutExtension(f)[prefix.Length..].Split('.')[0]) is int i and >= 0 ? i : 99).ThenBy(f => f, StringComparer.Ordinal)
                .Select(f => (T)JsonSerializer.Deserialize(File.ReadAllText(f), typeof(T), MetricsJson.Default)!).ToList()
            : [];
    }

    public static string Slug(string name) => new([.. Path.GetFileNameWithoutExtension(name).Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
    private static string F(double v) => v.ToString(v >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture);
}
