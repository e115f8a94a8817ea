using System.Globalization;
using System.Text.Json;

namespace Cosched.Workloads.Npb;

/// <summary>Prints an <see cref="NpbResult"/> as NPB does (text) or as one JSON object (for the study).</summary>
public static class NpbReport
{
    public static void WriteText(TextWriter output, NpbResult result)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($" {result.Benchmark.ToUpperInvariant()} Benchmark Completed.");
        Line(output, "Class", result.Class.ToString());
        Line(output, "Size", result.Size);
        Line(output, "Iterations", result.Iterations.ToString(c));
        Line(output, "Time in seconds", result.Seconds.ToString("F2", c));
        Line(output, "Total processes", result.Processes.ToString(c));
        Line(output, "Mop/s total", result.MopsTotal.ToString("F2", c));
        Line(output, "Mop/s/process", result.MopsPerProcess.ToString("F2", c));
        Line(output, "Operation type", result.OperationType);
        Line(output, "Verification", result.Verified ? "SUCCESSFUL" : "UNSUCCESSFUL");
        Line(output, "Version", "3.4 (Cosched, C#)");
    }

    public static void WriteJson(TextWriter output, NpbResult result)
    {
        var fields = new Dictionary<string, object>
        {
            ["benchmark"] = result.Benchmark.ToLowerInvariant(),
            ["class"] = result.Class.ToString(),
            ["size"] = result.Size,
            ["iterations"] = result.Iterations,
            ["seconds"] = result.Seconds,
            ["processes"] = result.Processes,
            ["mops_total"] = result.MopsTotal,
            ["mops_per_process"] = result.MopsPerProcess,
            ["operation_type"] = result.OperationType,
            ["verified"] = result.Verified,
        };
        output.WriteLine(JsonSerializer.Serialize(fields, new JsonSerializerOptions { WriteIndented = true }));
    }

    // NPB's layout: the label padded to 16 columns, then the value right-aligned in 25.
    private static void Line(TextWriter output, string label, string value) =>
        output.WriteLine($" {label,-16}= {value,24}");
}
