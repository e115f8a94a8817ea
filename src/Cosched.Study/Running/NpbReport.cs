using System.Globalization;

namespace Cosched.Study.Running;

/// <summary>The report an NPB program prints at its end (C's c_print_results and Fortran's
/// print_results alike: `NAME Benchmark Completed`, then `Key = value` lines), as far as the study
/// needs it. The time is NPB's own timer of its timed section, to two decimals.</summary>
/// <param name="ActiveProcesses">NPB 3.4 runs on the largest count its rule allows and leaves the other processes idle; null where it does not say.</param>
/// <param name="Threads">"Total threads" of a multi-zone benchmark; null for the others.</param>
/// <param name="Verification">NPB's word on its own check: SUCCESSFUL, UNSUCCESSFUL, NOT PERFORMED.</param>
public sealed record NpbReport(string Benchmark, string Class, long Iterations, double Seconds, double MopsTotal, double MopsPerProcess,
    int Processes, int? ActiveProcesses, int? Threads, string Verification)
{
    public bool Verified => Verification == "SUCCESSFUL";

    /// <exception cref="FormatException">the output holds no NPB report, or one without its time or verification.</exception>
    public static NpbReport Parse(string output)
    {
        string? benchmark = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.EndsWith("Benchmark Completed", StringComparison.Ordinal) || line.EndsWith("Benchmark Completed.", StringComparison.Ordinal))
            {
                benchmark = line[..line.IndexOf(" Benchmark Completed", StringComparison.Ordinal)].Trim();
                values.Clear();   // a report printed twice counts once: the last
                continue;
            }
            int equals = line.IndexOf('=');
            if (benchmark == null || equals < 0) continue;
            values.TryAdd(line[..equals].Trim(), line[(equals + 1)..].Trim());
        }
        if (benchmark == null) throw new FormatException("no NPB report in the output (no 'Benchmark Completed' line)");
        string Text(string key) => values.TryGetValue(key, out var value) ? value : throw new FormatException($"the NPB report has no '{key}' line");
        double Real(string key) => double.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new FormatException($"the NPB report's '{key}' is '{Text(key)}', not a number");
        int? Whole(string key) => values.TryGetValue(key, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        return new NpbReport(benchmark, values.GetValueOrDefault("Class", ""), Whole("Iterations") ?? 0, Real("Time in seconds"),
            values.ContainsKey("Mop/s total") ? Real("Mop/s total") : 0,
            values.ContainsKey("Mop/s/process") ? Real("Mop/s/process") : 0,
            Whole("Total processes") ?? 0, Whole("Active processes"), Whole("Total threads"), Text("Verification"));
    }

    /// <summary>What the study stores of it: an application's result, which counts only when verified.</summary>
    public ApplicationResult ToApplication() => new(Class, Iterations, Seconds, MopsTotal, MopsPerProcess, Verified);
}
