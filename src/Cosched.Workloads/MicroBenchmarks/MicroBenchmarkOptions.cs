using System.Globalization;

namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>What one `cosched bench` run measures and how it reports (the rank side's settings):
/// its benchmarks run one after the other in the same job, as IMB-MPI1 runs the ones it is given,
/// each measured with these settings.</summary>
public sealed record MicroBenchmarkOptions(IReadOnlyList<MicroBenchmark> Benchmarks)
{
    /// <summary>Smallest non-zero size is 2^MinLog bytes (--msglog MIN:MAX).</summary>
    public int MinLog { get; init; }
    /// <summary>Largest size is 2^MaxLog bytes.</summary>
    public int MaxLog { get; init; } = 22;
    /// <summary>Seconds one size should take at most (--time); IMB's default is 10.</summary>
    public double Seconds { get; init; } = 10;
    public OutputFormat Format { get; init; } = OutputFormat.Imb;
    /// <summary>Channel policy of the job, as printed in json and csv rows.</summary>
    public string Channels { get; init; } = "locality";
    /// <summary>PingPong only: latency statistics of many rounds of one size instead of the size sweep.</summary>
    public bool Stats { get; init; }
    /// <summary>PingPong only: latency per 20 ms window over --time seconds, with the channel (--timeseries).</summary>
    public bool TimeSeries { get; init; }
    /// <summary>Message size of --stats and --timeseries.</summary>
    public int StatsBytes { get; init; } = 8;
    /// <summary>Timed round trips of --stats.</summary>
    public int StatsRounds { get; init; } = 100_000;
    /// <summary>Collective algorithms asked for with --algorithm NAME=ALG, reported with the results.</summary>
    public IReadOnlyDictionary<string, string> Algorithms { get; init; } = new SortedDictionary<string, string>();

    /// <summary>Largest message a statistics run accepts.</summary>
    public const int MaxStatsBytes = 1 << MessageSizes.MaxLog;

    /// <summary>Checks the settings for a job of <paramref name="ranks"/> ranks; returns what is wrong, or null.</summary>
    public string? Validate(int ranks)
    {
        if (ranks < 1) return $"a job needs at least one rank (got {ranks})";
        if (Benchmarks.Count == 0) return "no benchmark to run";
        if (MinLog < 0 || MaxLog > MessageSizes.MaxLog || MinLog > MaxLog)
            return $"--msglog needs 0 <= MIN <= MAX <= {MessageSizes.MaxLog} (got {MinLog}:{MaxLog})";
        if (!(Seconds > 0) || double.IsInfinity(Seconds)) return $"--time must be a positive number of seconds (got {Seconds.ToString(CultureInfo.InvariantCulture)})";
        // A statistics run is a single pingpong of one size, not a sweep that could follow another.
        if (Stats && Benchmarks.Count > 1) return $"--stats measures pingpong alone (got {string.Join(' ', Benchmarks.Select(b => b.Name()))})";
        if (Stats && Benchmarks[0] != MicroBenchmark.PingPong) return "--stats applies only to pingpong";
        if (TimeSeries && (Benchmarks.Count > 1 || Benchmarks[0] != MicroBenchmark.PingPong)) return "--timeseries applies only to pingpong alone";
        if (TimeSeries && Stats) return "--timeseries and --stats are two different runs; choose one";
        if (TimeSeries && ranks < 2) return "--timeseries needs at least 2 ranks";
        if (TimeSeries && Format == OutputFormat.Csv) return "--timeseries prints text or json (--format imb or json)";
        if (StatsBytes < 0 || StatsBytes > MaxStatsBytes) return $"--size must be between 0 and {MaxStatsBytes} bytes (got {StatsBytes})";
        if (StatsRounds < 1) return $"--rounds must be at least 1 (got {StatsRounds})";
        foreach (var benchmark in Benchmarks)
        {
            long perRank = benchmark is MicroBenchmark.Gather or MicroBenchmark.Scatter or MicroBenchmark.Allgather or MicroBenchmark.Alltoall ? ranks : 1;
            if ((1L << MaxLog) * perRank > Array.MaxLength)
                return $"--msglog {MinLog}:{MaxLog} is too large for {benchmark.Name()} on {ranks} ranks: a buffer of {(1L << MaxLog) * perRank} bytes exceeds {Array.MaxLength}";
        }
        return null;
    }

    /// <summary>Parses "MIN:MAX" (or a single "MAX", as IMB's -msglog accepts).</summary>
    public static bool TryParseMessageLog(string? text, out int minLog, out int maxLog)
    {
        minLog = 0;
        maxLog = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split(':');
        if (parts.Length == 1) return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out maxLog);
        return parts.Length == 2 &&
               int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out minLog) &&
               int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out maxLog);
    }
}
