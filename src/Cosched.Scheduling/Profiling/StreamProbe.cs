using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace Cosched.Scheduling.Profiling;

/// <summary>A STREAM-like triad (a = b + s * c) over arrays far beyond the last-level cache: the
/// memory bandwidth one core gets, measured in windows so that a run beside an application can be
/// read for the part that overlapped the application's timed phase.</summary>
public static class StreamProbe
{
    /// <summary>Doubles per array: 64 MiB each, 192 MiB in all, well beyond any last-level cache.</summary>
    public const int Length = 8 << 20;

    /// <summary>A probe's window: when it started and ended (Unix milliseconds) and the GB/s in it.</summary>
    public readonly record struct Window(double StartUnixMs, double EndUnixMs, double GBps);

    private const string WindowPrefix = "window ";
    private const string TotalSuffix = " GB/s";

    /// <summary>Runs the triad for <paramref name="seconds"/>, writing a line per window of about
    /// <paramref name="windowSeconds"/> and the whole run's GB/s last; returns that figure.</summary>
    public static double Run(double seconds, double windowSeconds, TextWriter output, CancellationToken cancel = default)
    {
        var a = GC.AllocateUninitializedArray<double>(Length);
        var b = GC.AllocateUninitializedArray<double>(Length);
        var c = GC.AllocateUninitializedArray<double>(Length);
        // Touch every page before timing: first-touch page faults are not bandwidth.
        Array.Fill(a, 0.0);
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
        const double bytesPerPass = 3.0 * Length * sizeof(double);   // STREAM's count: two reads and a write
        var total = Stopwatch.StartNew();
        long passes = 0;
        while (total.Elapsed.TotalSeconds < seconds && !cancel.IsCancellationRequested)
        {
            double start = UnixMs();
            var window = Stopwatch.StartNew();
            int inWindow = 0;
            do
            {
                Triad(a, b, c, 3.0);
                inWindow++;
            }
            while (window.Elapsed.TotalSeconds < windowSeconds);
            passes += inWindow;
            double gbps = inWindow * bytesPerPass / window.Elapsed.TotalSeconds / 1e9;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{WindowPrefix}{start:F1} {UnixMs():F1} {gbps:F3}"));
        }
        double overall = passes * bytesPerPass / total.Elapsed.TotalSeconds / 1e9;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{overall:F3}{TotalSuffix}"));
        // Keeps the JIT from proving the stores dead.
        GC.KeepAlive(a);
        return overall;
    }

    private static void Triad(double[] a, double[] b, double[] c, double scalar)
    {
        var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(a.AsSpan());
        var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(b.AsSpan());
        var vc = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(c.AsSpan());
        var s = new Vector<double>(scalar);
        for (int i = 0; i < va.Length; i++) va[i] = vb[i] + s * vc[i];
        for (int i = va.Length * Vector<double>.Count; i < a.Length; i++) a[i] = b[i] + scalar * c[i];
    }

    /// <summary>Wall-clock time that another process (the profiler) can compare with its own.</summary>
    public static double UnixMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>The windows a probe printed (all complete lines; a probe ended early prints no total).</summary>
    public static List<Window> ParseWindows(string output)
    {
        var windows = new List<Window>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith(WindowPrefix, StringComparison.Ordinal)) continue;
            var parts = line[WindowPrefix.Length..].Split(' ');
            if (parts.Length == 3 && Number(parts[0]) is { } start && Number(parts[1]) is { } end && Number(parts[2]) is { } gbps)
                windows.Add(new Window(start, end, gbps));
        }
        return windows;
    }

    /// <summary>The whole run's GB/s (the last line), or null when the probe did not finish.</summary>
    public static double? ParseTotal(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.EndsWith(TotalSuffix, StringComparison.Ordinal)) is { } line ? Number(line[..^TotalSuffix.Length]) : null;

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
