using System.Globalization;
using System.Text;
using Cosched.Scheduling.Profiles;

namespace Cosched.Scheduling.Profiling;

/// <summary>The profile set as the text table `cosched profile` prints at its end: per application
/// its run times by rank count (seconds), the wall seconds a scheduled job adds by rank count, bandwidth and split overhead, then the co-run slowdown matrix.</summary>
public static class ProfileTable
{
    public static string Render(ProfileSet set)
    {
        static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        var rankCounts = set.Applications.SelectMany(a => a.RunSeconds.Keys).Distinct().Order().ToList();
        int width = Math.Max(5, set.Applications.Select(a => a.Name.Length).DefaultIfEmpty(0).Max());
        string Cell(string value) => " " + value.PadLeft(11);
        text.Append("app".PadRight(width));
        foreach (int n in rankCounts) text.Append(Cell(n == 1 ? "run 1 rank" : $"run {n} ranks"));
        foreach (int n in rankCounts) text.Append(Cell($"launch {n}"));
        text.Append(Cell("bandwidth")).Append(Cell("split 2vm")).AppendLine();
        foreach (var app in set.Applications)
        {
            text.Append(app.Name.PadRight(width));
            foreach (int n in rankCounts) text.Append(Cell(app.RunSeconds.TryGetValue(n, out var s) ? F(s, "F3") : "-"));
            foreach (int n in rankCounts) text.Append(Cell(app.LaunchSeconds.TryGetValue(n, out var l) ? F(l) : "-"));
            text.Append(Cell(F(app.Bandwidth))).Append(Cell(app.SplitOverhead.TryGetValue(2, out var split) ? F(split) : "-")).AppendLine();
        }
        text.AppendLine();
        text.AppendLine("slowdown of the row's app beside the column's (1 rank each, on the two halves of the cores):");
        text.Append("".PadRight(width));
        foreach (var other in set.Applications) text.Append(Cell(other.Name));
        text.AppendLine();
        var measured = set.CoRuns.ToDictionary(c => (c.App, c.Beside), c => c.Slowdown);
        foreach (var app in set.Applications)
        {
            text.Append(app.Name.PadRight(width));
            foreach (var other in set.Applications) text.Append(Cell(measured.TryGetValue((app.Name, other.Name), out var s) ? F(s) : "-"));
            text.AppendLine();
        }
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"stream probe alone: {set.ProbeGBps:F2} GB/s; a VM's move: {set.MigrationSeconds * 1000:F1} ms; split measured with the {(set.SplitVmKind == "" ? "(none)" : set.SplitVmKind)} provider{(set.SplitVmKind == "process" ? " (an emulation)" : "")}; machine: {set.Machine}"));
        return text.ToString();
    }
}
