namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>Timings of one message size: each rank's average time per call, in microseconds
/// (NaN for ranks that took no part, as PingPong's idle ranks).</summary>
public sealed record SizeResult(int Bytes, int Repetitions, IReadOnlyList<double> RankMicroseconds)
{
    private IEnumerable<double> Measured => RankMicroseconds.Where(t => !double.IsNaN(t));

    /// <summary>Fastest rank's time per call (IMB's t_min).</summary>
    public double MinMicroseconds => Measured.DefaultIfEmpty(0).Min();
    /// <summary>Slowest rank's time per call (IMB's t_max; PingPong's t).</summary>
    public double MaxMicroseconds => Measured.DefaultIfEmpty(0).Max();
    /// <summary>Mean over ranks of their time per call (IMB's t_avg).</summary>
    public double AvgMicroseconds => Measured.DefaultIfEmpty(0).Average();

    /// <summary>IMB's bandwidth: bytes per microsecond of the slowest rank, i.e. 10^6 bytes/s.</summary>
    public double MbytesPerSecond => MaxMicroseconds > 0 ? Bytes / MaxMicroseconds : 0;
}

/// <summary>Where a rank ran and which transport served each peer.</summary>
public sealed record RankInfo(int Rank, string Host, int ProcessId, IReadOnlyList<string> Channels);

/// <summary>Everything one benchmark's size sweep measured, as rank 0 reports it.</summary>
public sealed record MicroBenchmarkReport(
    MicroBenchmark Benchmark,
    MicroBenchmarkOptions Options,
    int Processes,
    int JobSize,
    IReadOnlyList<RankInfo> Ranks,
    IReadOnlyList<SizeResult> Results);

/// <summary>Statistics of PingPong's per-round one-way latency (pingpong --stats), computed as the
/// paper's pingpong_lat does: quartiles as medians of the halves, whiskers at 1.5 IQR.</summary>
public sealed record LatencyStatistics(
    int Rounds,
    double Minimum,
    double LowerQuartile,
    double Median,
    double UpperQuartile,
    double Maximum,
    double Mean,
    double StandardDeviation,
    double LowerWhisker,
    double UpperWhisker,
    int LowerOutliers,
    int UpperOutliers)
{
    public double Variance => StandardDeviation * StandardDeviation;

    /// <summary>Statistics of the samples (which are sorted in place).</summary>
    public static LatencyStatistics Of(double[] samples)
    {
        if (samples.Length == 0) throw new ArgumentException("no samples", nameof(samples));
        Array.Sort(samples);
        int n = samples.Length;
        double mean = samples.Average();
        double squares = 0;
        foreach (var s in samples) squares += (s - mean) * (s - mean);
        double deviation = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0;

        var lower = samples.AsSpan(0, n / 2);
        var upper = samples.AsSpan(n - n / 2);
        double median = MedianOf(samples);
        double q1 = n > 1 ? MedianOf(lower) : samples[0];
        double q3 = n > 1 ? MedianOf(upper) : samples[0];
        double iqr = q3 - q1;
        int low = 0;
        while (low < n - 1 && samples[low] < q1 - 1.5 * iqr) low++;
        int high = n - 1;
        while (high > 0 && samples[high] > q3 + 1.5 * iqr) high--;
        return new LatencyStatistics(n, samples[0], q1, median, q3, samples[^1], mean, deviation,
            samples[low], samples[high], low, n - 1 - high);
    }

    private static double MedianOf(ReadOnlySpan<double> sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>A statistics run of PingPong, as rank 0 reports it.</summary>
public sealed record LatencyReport(MicroBenchmarkOptions Options, int Processes, int JobSize, int Warmup,
    IReadOnlyList<RankInfo> Ranks, LatencyStatistics Statistics);
