using System.Text.Json;

namespace Cosched.Study.Running;

/// <summary>Reads the JSON that `cosched bench` (also `bench pingpong --timeseries`), `cosched npb` and `cosched blast search` print with --format json.</summary>
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

    /// <summary>What `bench pingpong --timeseries --format json` printed: one object with every window
    /// of the time series and the record of every move the launcher made meanwhile.</summary>
    public static MigrationTimeSeries ParseTimeSeries(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var windows = root.GetProperty("timeseries").EnumerateArray().Select(w => new LatencyWindow(
            w.GetProperty("time_s").GetDouble(), w.GetProperty("latency_us").GetDouble(), w.GetProperty("roundtrips").GetInt32(),
            w.GetProperty("channel").GetString() ?? "")).ToList();
        var moves = root.GetProperty("migrations").EnumerateArray().Select(m => new MoveTimes(
            m.GetProperty("move").GetInt32(), m.GetProperty("vm").GetInt32(), m.GetProperty("from").GetInt32(), m.GetProperty("to").GetInt32(),
            m.GetProperty("at_s").GetDouble(), m.GetProperty("suspend_ms").GetDouble(), m.GetProperty("move_ms").GetDouble(),
            m.GetProperty("attach_ms").GetDouble(), m.GetProperty("reselect_ms").GetDouble(), m.GetProperty("total_ms").GetDouble(),
            m.GetProperty("longest_wait_ms").GetDouble(), m.GetProperty("what_moved").GetString() ?? "")).ToList();
        return new MigrationTimeSeries(root.GetProperty("bytes").GetInt64(), root.GetProperty("window_ms").GetDouble(), windows, moves);
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
