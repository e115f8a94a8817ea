using System.Text.Json;

namespace Cosched.Study.Running;

/// <summary>Reads the JSON that `cosched bench`, `cosched npb` and `cosched blast search` print with --format json.</summary>
public static class BenchJson
{
    /// <summary>The rows of each micro-benchmark of a run, by benchmark name: `cosched bench` prints one
    /// JSON object per benchmark, one per line.</summary>
    public static Dictionary<string, List<Measurement>> ParseBench(string output)
    {
        var benchmarks = new Dictionary<string, List<Measurement>>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var rows = new List<Measurement>();
            foreach (var row in root.GetProperty("results").EnumerateArray())
                rows.Add(new Measurement(
                    row.GetProperty("bytes").GetInt64(), row.GetProperty("repetitions").GetInt64(),
                    Number(row, "t_usec"), Number(row, "mbytes_per_sec"),
                    Number(row, "t_min_usec"), Number(row, "t_max_usec"), Number(row, "t_avg_usec")));
            benchmarks[root.GetProperty("benchmark").GetString() ?? ""] = rows;
        }
        return benchmarks;
    }

    /// <summary>One NAS kernel's result.</summary>
    public static ApplicationResult ParseNpb(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ApplicationResult(
            root.GetProperty("class").GetString() ?? "",
            root.TryGetProperty("iterations", out var iterations) ? iterations.GetInt64() : 0,
            root.GetProperty("seconds").GetDouble(),
            Number(root, "mops_total") ?? 0,
            Number(root, "mops_per_process") ?? 0,
            root.GetProperty("verified").GetBoolean());
    }

    /// <summary>What `cosched blast search --format json` printed: its seconds, its speed in million
    /// DP cells per second, and the digest of its tabular output.</summary>
    public static (double Seconds, double Mcups, string Digest) ParseBlast(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (root.GetProperty("seconds").GetDouble(), Number(root, "mcups") ?? 0, root.GetProperty("digest").GetString() ?? "");
    }

    private static double? Number(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
