namespace Cosched.Study.Report;

/// <summary>The median of repeated independent runs with its spread: min-max and a 95% percentile
/// bootstrap interval of the median.</summary>
/// <param name="Runs">how many runs the figure rests on.</param>
public sealed record Summary(double Median, double Low, double High, double Min, double Max, int Runs);

/// <summary>A ratio of two medians (A over B) with its 95% bootstrap interval.</summary>
public sealed record Ratio(double Value, double Low, double High);

/// <summary>Medians and percentile-bootstrap intervals over a handful of runs. Resampling uses a
/// fixed seed, so the same data always gives the same interval (a report rewritten from its database
/// does not change). With few runs the interval of a median is close to the runs' min-max: three runs
/// cannot say more, and the findings only state what the interval supports.</summary>
public static class Statistics
{
    public const int Resamples = 4000;
    public const double Confidence = 0.95;
    private const int Seed = 20_261_202;

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        return MedianInPlace([.. values]);
    }

    private static double MedianInPlace(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    public static Summary Summarize(IReadOnlyList<double> values)
    {
        var (low, high) = Interval(BootstrapMedians(values, new Random(Seed)));
        return new Summary(Median(values), low, high, values.Min(), values.Max(), values.Count);
    }

    /// <summary>median(a) / median(b), resampling both sides independently (they are separate runs).</summary>
    public static Ratio RatioOfMedians(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var random = new Random(Seed);
        var medians = BootstrapMedians(a, random);
        var baselines = BootstrapMedians(b, random);
        var ratios = new double[Resamples];
        for (int i = 0; i < Resamples; i++) ratios[i] = medians[i] / baselines[i];
        var (low, high) = Interval(ratios);
        return new Ratio(Median(a) / Median(b), low, high);
    }

    private static double[] BootstrapMedians(IReadOnlyList<double> values, Random random)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var medians = new double[Resamples];
        var sample = new double[values.Count];
        for (int i = 0; i < Resamples; i++)
        {
            for (int j = 0; j < sample.Length; j++) sample[j] = values[random.Next(values.Count)];
            medians[i] = MedianInPlace(sample);
        }
        return medians;
    }

    /// <summary>The central <see cref="Confidence"/> of the resampled values (nearest-rank percentiles).</summary>
    private static (double Low, double High) Interval(double[] resampled)
    {
        Array.Sort(resampled);
        double tail = (1 - Confidence) / 2;
        int low = (int)Math.Floor(tail * (resampled.Length - 1));
        int high = (int)Math.Ceiling((1 - tail) * (resampled.Length - 1));
        return (resampled[low], resampled[high]);
    }
}
