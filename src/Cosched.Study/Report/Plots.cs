using Cosched.Study.Plan;
using Cosched.Study.Store;
using ScottPlot;

namespace Cosched.Study.Report;

/// <summary>Draws the report's plots as PNG files with ScottPlot: latency (and bandwidth) against
/// message size on log-log axes, and slowdown or overhead against the VM count. Every point is a
/// median of runs and carries its 95% interval as an error bar.</summary>
public static class Plots
{
    public const int Width = 900, Height = 560;

    /// <summary>Twenty distinct colours: a 16-rank plot has up to a dozen lines, and the default ten would repeat.</summary>
    private static readonly IPalette LinePalette = new ScottPlot.Palettes.Category20();

    /// <summary>One line of a plot; <see cref="Lows"/> and <see cref="Highs"/> bound each point's interval (none for a reference line).</summary>
    public sealed record Series(string Name, double[] Xs, double[] Ys, bool Dashed = false, double[]? Lows = null, double[]? Highs = null);

    /// <summary>Draws a series at the given x positions, its y values mapped by <paramref name="y"/> (log10 on a log axis).</summary>
    private static void Draw(Plot plot, Series s, int[] keep, double[] xs, Func<double, double> y, float markerSize)
    {
        var ys = keep.Select(i => y(s.Ys[i])).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = s.Name;
        line.LineWidth = 2;
        line.MarkerSize = markerSize;
        if (s.Dashed) line.LinePattern = LinePattern.Dashed;
        if (s.Lows == null || s.Highs == null) return;
        var bars = plot.Add.ErrorBar(xs, ys, new double[xs.Length]);
        bars.YErrorNegative = [.. keep.Select((i, k) => Math.Max(0, ys[k] - y(s.Lows[i])))];
        bars.YErrorPositive = [.. keep.Select((i, k) => Math.Max(0, y(s.Highs[i]) - ys[k]))];
        bars.Color = line.Color;
        bars.LineWidth = 1.5f;
    }

    /// <summary>Whether a point can sit on the axes: finite, and positive (with its interval) on a log axis.</summary>
    private static bool Drawable(Series s, int i, bool logY) =>
        double.IsFinite(s.Ys[i]) && (!logY || (s.Ys[i] > 0 && (s.Lows == null || s.Lows[i] > 0)));

    /// <summary>Log-log plot of <paramref name="series"/> (x in bytes, y in the unit named by <paramref name="yLabel"/>);
    /// zero and negative values cannot sit on a log axis and are left out.</summary>
    public static void LogLog(string path, string title, string yLabel, IEnumerable<Series> series)
    {
        var plot = new Plot();
        plot.Add.Palette = LinePalette;
        int lines = 0;
        foreach (var s in series)
        {
            var keep = Enumerable.Range(0, s.Xs.Length).Where(i => s.Xs[i] > 0 && Drawable(s, i, logY: true)).ToArray();
            if (keep.Length == 0) continue;
            Draw(plot, s, keep, [.. keep.Select(i => Math.Log2(s.Xs[i]))], Math.Log10, markerSize: 5);
            lines++;
        }
        // Sizes are powers of two: a log2 axis puts one tick per doubling where there is room.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = exponent => SizeLabel(Math.Pow(2, exponent)),
        };
        plot.Axes.Left.TickGenerator = LogTicks(ValueLabel);
        Finish(plot, path, title, "message size (bytes)", yLabel, lines);
    }

    /// <summary>A value per VM count (native first), one line per series; x positions are the VM
    /// counts in order, labelled, so 1, 2, 4 ... 16 VMs are evenly spaced as in the paper's figures.</summary>
    /// <param name="logY">a log10 y axis, for slowdowns that span 1x to hundreds.</param>
    public static void ByVmCount(string path, string title, string yLabel, IReadOnlyList<int> vmCounts, IEnumerable<Series> series, double? reference = null, bool logY = false)
    {
        var plot = new Plot();
        plot.Add.Palette = LinePalette;
        int lines = 0;
        foreach (var s in series)
        {
            var keep = Enumerable.Range(0, s.Xs.Length).Where(i => vmCounts.Contains((int)s.Xs[i]) && Drawable(s, i, logY)).ToArray();
            if (keep.Length == 0) continue;
            Draw(plot, s, keep, [.. keep.Select(i => (double)IndexOf(vmCounts, (int)s.Xs[i]))], logY ? Math.Log10 : v => v, markerSize: 7);
            lines++;
        }
        if (reference is { } y)
        {
            var baseline = plot.Add.HorizontalLine(logY ? Math.Log10(y) : y);
            baseline.LinePattern = LinePattern.Dotted;
            baseline.Color = Colors.Gray;
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, vmCounts.Count).Select(i => (double)i)], [.. vmCounts.Select(Numbers.Vms)]);
        if (logY) plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => ValueLabel(Math.Pow(10, exponent)),
        };
        Finish(plot, path, title, "virtual machines on one host", yLabel, lines);
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    private static void Finish(Plot plot, string path, string title, string xLabel, string yLabel, int lines)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (lines == 0) plot.Add.Annotation("no data");
        // Beside the data, not over it: a plot of many configurations has a long legend.
        plot.ShowLegend(Edge.Right);
        plot.Axes.Margins(0.05, 0.1);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Ticks at powers of ten with minor ticks between, labelled with the untransformed value.</summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(Func<double, string> label) => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => label(Math.Pow(10, exponent)),
    };

    private static string SizeLabel(double bytes) => bytes switch
    {
        >= 1 << 20 => $"{bytes / (1 << 20):0.#}Mi",
        >= 1 << 10 => $"{bytes / (1 << 10):0.#}Ki",
        _ => $"{bytes:0}",
    };

    private static string ValueLabel(double value) => value >= 10 ? $"{value:0}" : $"{value:0.##}";
}
