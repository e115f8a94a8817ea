using Cosched.Study.Report;

namespace Cosched.Study.Tests;

/// <summary>The statistics every figure of the report rests on, against values worked out by hand.</summary>
public class StatisticsTests
{
    [Fact]
    public void TheMedianOfAnOddAndOfAnEvenCount()
    {
        Assert.Equal(3.0, Statistics.Median([5, 1, 3]));
        Assert.Equal(2.5, Statistics.Median([4, 1, 2, 3]));
        Assert.Equal(7.0, Statistics.Median([7]));
        Assert.Throws<ArgumentException>(() => Statistics.Median([]));
    }

    [Fact]
    public void TheBootstrapIntervalOfAMedianOfThreeRunsIsTheirRange()
    {
        // Resampling three values: the median is the smallest with probability 7/27 (> 2.5%), so the
        // interval is [min, max]; with three runs nothing narrower is honest.
        var summary = Statistics.Summarize([10.0, 12.0, 11.0]);
        Assert.Equal((11.0, 10.0, 12.0, 10.0, 12.0, 3), (summary.Median, summary.Low, summary.High, summary.Min, summary.Max, summary.Runs));
    }

    [Fact]
    public void WithManyRunsTheIntervalOfTheMedianIsNarrowerThanTheRange()
    {
        var values = Enumerable.Range(1, 41).Select(i => (double)i).ToArray();   // 1 .. 41, median 21
        var summary = Statistics.Summarize(values);
        Assert.Equal(21.0, summary.Median);
        // The median of 41 uniform values: its 95% interval is about the 34th to 66th percentile.
        Assert.InRange(summary.Low, 15, 19);
        Assert.InRange(summary.High, 23, 27);
        Assert.Equal((1.0, 41.0), (summary.Min, summary.Max));
    }

    [Fact]
    public void TheSameDataGivesTheSameIntervalEveryTime()
    {
        double[] a = [3.1, 2.9, 3.4, 3.0, 3.3], b = [1.0, 1.2, 0.9, 1.1, 1.05];
        Assert.Equal(Statistics.RatioOfMedians(a, b), Statistics.RatioOfMedians(a, b));
        Assert.Equal(Statistics.Summarize(a), Statistics.Summarize(a));
    }

    [Fact]
    public void TheRatioOfThreeAgainstThreeRunsSpansTheExtremeRatios()
    {
        var ratio = Statistics.RatioOfMedians([20, 22, 24], [2, 2.5, 4]);
        Assert.Equal(22 / 2.5, ratio.Value, 12);
        // Each side's resampled median is its min or max with probability 7/27, both together 49/729 > 2.5%.
        Assert.Equal(20 / 4.0, ratio.Low, 12);
        Assert.Equal(24 / 2.0, ratio.High, 12);
        var overlapping = Statistics.RatioOfMedians([1.0, 1.2, 0.9], [1.1, 0.95, 1.0]);
        Assert.True(overlapping.Low < 1 && overlapping.High > 1);
    }
}
