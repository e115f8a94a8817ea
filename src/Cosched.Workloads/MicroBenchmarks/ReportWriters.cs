using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>The json and csv forms of a report: one row per size with the same fields in both
/// (csv leaves empty what does not apply, json writes null), plus per-rank details in json.
/// A run of several benchmarks prints the csv header once, then every benchmark's rows; in json
/// each benchmark's report is one compact line, so that a run's reports are JSON Lines and a single
/// benchmark's report is still one JSON document.</summary>
public static class ReportWriters
{
    /// <summary>The csv columns of a size sweep, in order.</summary>
    public static readonly string[] CsvColumns =
        ["benchmark", "processes", "channels", "bytes", "repetitions", "t_usec", "mbytes_per_sec", "t_min_usec", "t_max_usec", "t_avg_usec", "vm_kind"];

    /// <summary>The csv columns of a statistics run, in order.</summary>
    public static readonly string[] StatsCsvColumns =
        ["benchmark", "processes", "channels", "bytes", "rounds", "warmup", "min_usec", "q1_usec", "median_usec", "q3_usec", "max_usec",
         "mean_usec", "stddev_usec", "lower_whisker_usec", "upper_whisker_usec", "lower_outliers", "upper_outliers", "vm_kind"];

    /// <summary>The header line of <see cref="CsvColumns"/>, printed once before the rows of every benchmark.</summary>
    public static string CsvHeader => string.Join(',', CsvColumns) + "\n";

    /// <summary>A benchmark's rows, one line per size, without the header.</summary>
    public static string CsvRows(MicroBenchmarkReport report)
    {
        var text = new StringBuilder();
        foreach (var row in report.Results)
            text.Append(string.Join(',', Fields(report, row).Select(f => f.Value switch
            {
                null => "",
                string s => s,
                int i => i.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            }))).Append('\n');
        return text.ToString();
    }

    public static string Csv(LatencyReport report)
    {
        var values = StatsFields(report).Select(f => Convert.ToString(f.Value, CultureInfo.InvariantCulture));
        return string.Join(',', StatsCsvColumns) + "\n" + string.Join(',', values) + "\n";
    }

    public static string Json(MicroBenchmarkReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            WriteRunFields(json, report.Benchmark, report.Options, report.Processes, report.JobSize);
            json.WriteString("msglog", $"{report.Options.MinLog}:{report.Options.MaxLog}");
            json.WriteNumber("time_seconds", report.Options.Seconds);
            WriteRanks(json, report.Ranks);
            json.WriteStartArray("results");
            foreach (var row in report.Results)
            {
                json.WriteStartObject();
                foreach (var (name, value) in Fields(report, row)) WriteValue(json, name, value);
                json.WriteStartArray("rank_usec");
                foreach (var t in row.RankMicroseconds)
                {
                    if (double.IsNaN(t)) json.WriteNullValue();
                    else json.WriteNumberValue(t);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string Json(LatencyReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            WriteRunFields(json, MicroBenchmark.PingPong, report.Options, report.Processes, report.JobSize);
            json.WriteString("mode", "stats");
            WriteRanks(json, report.Ranks);
            json.WriteStartObject("statistics");
            foreach (var (name, value) in StatsFields(report).Skip(3)) WriteValue(json, name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Where the ranks ran: "native", "namespace" VMs, or the process provider, which every
    /// output must call an emulation.</summary>
    private static string VmKind => Environment.GetEnvironmentVariable("COSCHED_VM_KIND") switch
    {
        null or "" => "native",
        "process" => "process (an emulation)",
        var kind => kind,
    };

    private static IEnumerable<(string Name, object? Value)> Fields(MicroBenchmarkReport report, SizeResult row)
    {
        bool pingPong = report.Benchmark == MicroBenchmark.PingPong;
        yield return ("benchmark", report.Benchmark.Name());
        yield return ("processes", report.Processes);
        yield return ("channels", report.Options.Channels);
        yield return ("bytes", row.Bytes);
        yield return ("repetitions", row.Repetitions);
        yield return ("t_usec", pingPong ? row.MaxMicroseconds : null);
        yield return ("mbytes_per_sec", pingPong ? row.MbytesPerSecond : null);
        yield return ("t_min_usec", row.MinMicroseconds);
        yield return ("t_max_usec", row.MaxMicroseconds);
        yield return ("t_avg_usec", row.AvgMicroseconds);
        yield return ("vm_kind", VmKind);
    }

    private static IEnumerable<(string Name, object? Value)> StatsFields(LatencyReport report)
    {
        var s = report.Statistics;
        yield return ("benchmark", MicroBenchmark.PingPong.Name());
        yield return ("processes", report.Processes);
        yield return ("channels", report.Options.Channels);
        yield return ("bytes", report.Options.StatsBytes);
        yield return ("rounds", s.Rounds);
        yield return ("warmup", report.Warmup);
        yield return ("min_usec", s.Minimum);
        yield return ("q1_usec", s.LowerQuartile);
        yield return ("median_usec", s.Median);
        yield return ("q3_usec", s.UpperQuartile);
        yield return ("max_usec", s.Maximum);
        yield return ("mean_usec", s.Mean);
        yield return ("stddev_usec", s.StandardDeviation);
        yield return ("lower_whisker_usec", s.LowerWhisker);
        yield return ("upper_whisker_usec", s.UpperWhisker);
        yield return ("lower_outliers", s.LowerOutliers);
        yield return ("upper_outliers", s.UpperOutliers);
        yield return ("vm_kind", VmKind);
    }

    private static void WriteRunFields(Utf8JsonWriter json, MicroBenchmark benchmark, MicroBenchmarkOptions options, int processes, int jobSize)
    {
        json.WriteString("benchmark", benchmark.Name());
        json.WriteString("imb_name", benchmark.ImbName());
        json.WriteNumber("processes", processes);
        json.WriteNumber("job_size", jobSize);
        json.WriteString("channels", options.Channels);
        json.WriteString("vm_kind", VmKind);
        json.WriteStartObject("algorithms");
        foreach (var (name, algorithm) in options.Algorithms) json.WriteString(name, algorithm);
        json.WriteEndObject();
    }

    private static void WriteRanks(Utf8JsonWriter json, IReadOnlyList<RankInfo> ranks)
    {
        json.WriteStartArray("ranks");
        foreach (var rank in ranks)
        {
            json.WriteStartObject();
            json.WriteNumber("rank", rank.Rank);
            json.WriteString("host", rank.Host);
            json.WriteNumber("pid", rank.ProcessId);
            json.WriteStartArray("channels");
            foreach (var channel in rank.Channels) json.WriteStringValue(channel);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case string s: json.WriteString(name, s); break;
            case int i: json.WriteNumber(name, i); break;
            case double d when double.IsFinite(d): json.WriteNumber(name, d); break;
            case double: json.WriteNull(name); break;
            default: throw new ArgumentException($"no json form for {value.GetType()}");
        }
    }
}
