using Cosched.Study.Running;
using ScottPlot;

namespace Cosched.Study.Report;

/// <summary>Draws the report's plots as PNG files with ScottPlot: latency (and bandwidth) against
/// message size on log-log axes, slowdown or overhead against the VM count, run time against the
/// processes x threads mix, every point a median of runs with its 95% interval as an error bar; and
/// the migration experiment's latency over time.</summary>
public static class Plots
{
    public const int Width = 900, Height = 560;

    /// <summary>Twenty distinct colours: a 16-rank plot has up to a dozen lines, and the default ten would repeat.</summary>
    private static readonly IPalette LinePalette = new ScottPlot.Palettes.Category20();

    /// <summary>A channel's colour in the time series: ten colours far apart, so tcp and shared memory never look alike.</summary>
    private static readonly IPalette ChannelPalette = new ScottPlot.Palettes.Category10();

    /// <summary>One line of a plot; <see cref="Lows"/> and <see cref="Highs"/> bound each point's interval (none for a reference line).</summary>
    public sealed record Series(string Name, double[] Xs, double[] Ys, bool Dashed = false, double[]? Lows = null, double[]? Highs = null);

    /// <summary>Draws a series at the given x positions, its y values mapped by <paramref name="y"/> (log10 on a log axis),
    /// in the <paramref name="colour"/>-th colour of the palette: chosen here, since each error bar would
    /// otherwise take the next colour too, and the twenty colours would serve only ten lines.</summary>
    private static void Draw(Plot plot, Series s, int[] keep, double[] xs, Func<double, double> y, float markerSize, int colour)
    {
        var ys = keep.Select(i => y(s.Ys[i])).ToArray();
        var line = plot.Add.Scatter(xs, ys, LinePalette.GetColor(colour));
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
        int lines = 0;
        foreach (var s in series)
        {
            var keep = Enumerable.Range(0, s.Xs.Length).Where(i => s.Xs[i] > 0 && Drawable(s, i, logY: true)).ToArray();
            if (keep.Length == 0) continue;
            Draw(plot, s, keep, [.. keep.Select(i => Math.Log2(s.Xs[i]))], Math.Log10, markerSize: 5, colour: lines);
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
    public static void ByVmCount(string path, string title, string yLabel, IReadOnlyList<int> vmCounts, IEnumerable<Series> series, double? reference = null, bool logY = false) =>
        Categorical(path, title, "virtual machines on one host", yLabel, [.. vmCounts.Select(Numbers.Vms)], x => IndexOf(vmCounts, (int)x), series, reference, logY);

    /// <summary>A value per category (a processes x threads mix, say), one line per series: each
    /// series' x values are indexes into <paramref name="categories"/>, which label the x axis in order.</summary>
    public static void ByCategory(string path, string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IEnumerable<Series> series, double? reference = null) =>
        Categorical(path, title, xLabel, yLabel, categories, x => x >= 0 && x < categories.Count ? (int)x : -1, series, reference, logY: false);

    /// <summary>Grouped bars from zero, one bar per series in each category: for totals compared
    /// across categories (a makespan by policy), where a line between categories would suggest a
    /// trend and an axis cut above zero would make a 1 % difference look large. Each series' x
    /// values are indexes into <paramref name="categories"/>.</summary>
    public static void Bars(string path, string title, string xLabel, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<Series> series, double? reference = null)
    {
        var plot = new Plot();
        double width = 0.8 / Math.Max(1, series.Count);
        int lines = 0;
        foreach (var (index, s) in series.Index())
        {
            var bars = Enumerable.Range(0, s.Xs.Length).Where(i => s.Xs[i] >= 0 && s.Xs[i] < categories.Count && double.IsFinite(s.Ys[i]))
                .Select(i => new Bar
                {
                    Position = s.Xs[i] + (index - (series.Count - 1) / 2.0) * width,
                    Value = s.Ys[i],
                    Size = width * 0.9,
                    FillColor = LinePalette.GetColor(index).WithAlpha(s.Dashed ? 0.45 : 1.0),
                }).ToList();
            if (bars.Count == 0) continue;
            plot.Add.Bars(bars).LegendText = s.Name;
            lines++;
        }
        if (reference is { } y) ReferenceLine(plot, y);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
        Finish(plot, path, title, xLabel, yLabel, lines, fromZero: true);
    }

    /// <summary>A dotted grey line across the plot at <paramref name="y"/> (1x, say).</summary>
    private static void ReferenceLine(Plot plot, double y)
    {
        var baseline = plot.Add.HorizontalLine(y);
        baseline.LinePattern = LinePattern.Dotted;
        baseline.Color = Colors.Gray;
    }

    /// <param name="position">where an x value sits among the labels; -1: not drawn.</param>
    private static void Categorical(string path, string title, string xLabel, string yLabel, IReadOnlyList<string> labels, Func<double, int> position,
        IEnumerable<Series> series, double? reference, bool logY)
    {
        var plot = new Plot();
        var drawn = series.Select(s => (Series: s, Keep: Enumerable.Range(0, s.Xs.Length).Where(i => position(s.Xs[i]) >= 0 && Drawable(s, i, logY)).ToArray()))
            .Where(d => d.Keep.Length > 0).ToList();
        // Series with intervals sit side by side within their category, a little apart, so that
        // their error bars do not hide each other; lines without intervals (the paper's) stay on it.
        int dodged = drawn.Count(d => d.Series.Lows != null), next = 0;
        double step = dodged > 1 ? Math.Min(0.06, 0.36 / (dodged - 1)) : 0;
        foreach (var (index, (s, keep)) in drawn.Index())
        {
            double offset = s.Lows == null ? 0 : (next++ - (dodged - 1) / 2.0) * step;
            Draw(plot, s, keep, [.. keep.Select(i => position(s.Xs[i]) + offset)], logY ? Math.Log10 : v => v, markerSize: 7, colour: index);
        }
        int lines = drawn.Count;
        if (reference is { } y) ReferenceLine(plot, logY ? Math.Log10(y) : y);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        if (logY) plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => ValueLabel(Math.Pow(10, exponent)),
        };
        Finish(plot, path, title, xLabel, yLabel, lines);
    }

    /// <summary>One run's latency windows over time, with the moments to mark (a move, labelled).</summary>
    public sealed record TimeSeriesPanel(string Title, IReadOnlyList<LatencyWindow> Windows, IReadOnlyList<(double Seconds, string Label)> Marks);

    /// <summary>One panel per run, stacked, on the same axes: latency (log scale) against time, the
    /// line coloured by the channel that carried the window (the same colour for a channel in every
    /// panel), a dotted vertical line at each mark.</summary>
    public static void TimeSeries(string path, string yLabel, IReadOnlyList<TimeSeriesPanel> panels)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        var channels = panels.SelectMany(p => p.Windows.Select(w => w.Channel)).Distinct().ToList();
        var latencies = panels.SelectMany(p => p.Windows).Select(w => w.LatencyUsec).Where(v => v > 0).ToList();
        var (bottom, top) = latencies.Count == 0 ? (0.0, 1.0) : (Math.Floor(Math.Log10(latencies.Min())), Math.Ceiling(Math.Log10(latencies.Max())));
        double end = panels.SelectMany(p => p.Windows).Select(w => w.Seconds).DefaultIfEmpty(1).Max();
        for (int i = 0; i < panels.Count; i++)
        {
            var (panel, plot) = (panels[i], multiplot.GetPlot(i));
            var shown = new HashSet<string>();
            // Each stretch of windows on one channel is its own line, so a switch shows as a change of colour.
            foreach (var stretch in Stretches(panel.Windows.Where(w => w.LatencyUsec > 0).ToList()))
            {
                double[] xs = [.. stretch.Select(w => w.Seconds)], ys = [.. stretch.Select(w => Math.Log10(w.LatencyUsec))];
                var line = plot.Add.ScatterLine(xs, ys, ChannelPalette.GetColor(channels.IndexOf(stretch[0].Channel)));
                line.LineWidth = 1.5f;
                if (shown.Add(stretch[0].Channel)) line.LegendText = stretch[0].Channel;
            }
            foreach (var (seconds, label) in panel.Marks)
            {
                plot.Add.VerticalLine(seconds, 1.5f, Colors.Gray, LinePattern.Dotted).ExcludeFromLegend = true;
                // Inside the plot at its top, beside the line: above it the label would cover the panel's title.
                var text = plot.Add.Text(label, seconds, top);
                text.Alignment = Alignment.UpperLeft;
                text.OffsetX = 4;
                text.OffsetY = 4;
                text.LabelFontColor = Colors.DimGray;
                text.LabelFontSize = 13;
            }
            plot.Title(panel.Title);
            plot.XLabel("time since PingPong started (s)");
            plot.YLabel(yLabel);
            plot.Axes.Left.TickGenerator = LogTicks(ValueLabel);
            plot.Axes.SetLimits(0, end, bottom, top);
            if (panel.Windows.Count == 0) plot.Add.Annotation("no data");
            plot.ShowLegend(Alignment.UpperRight);
        }
        multiplot.SavePng(path, Width, Height * panels.Count * 2 / 3);
    }

    /// <summary>Consecutive windows on the same channel, in order.</summary>
    private static List<List<LatencyWindow>> Stretches(IReadOnlyList<LatencyWindow> windows)
    {
        var stretches = new List<List<LatencyWindow>>();
        foreach (var window in windows)
            if (stretches.Count > 0 && stretches[^1][0].Channel == window.Channel) stretches[^1].Add(window);
            else stretches.Add([window]);
        return stretches;
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    /// <param name="fromZero">the y axis starts at zero (bars), not a margin below the lowest point.</param>
    private static void Finish(Plot plot, string path, string title, string xLabel, string yLabel, int lines, bool fromZero = false)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (lines == 0) plot.Add.Annotation("no data");
        // Beside the data, not over it: a plot of many configurations has a long legend.
        plot.ShowLegend(Edge.Right);
        plot.Axes.Margins(0.05, 0.1);
        if (fromZero)
        {
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
        }
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
