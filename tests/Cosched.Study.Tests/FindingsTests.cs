using System.Text.Json;
using Cosched.Study.Report;

namespace Cosched.Study.Tests;

/// <summary>Findings state a difference only where the data supports one: two samples of one
/// distribution give no verdict, clearly separated ones the right sign, and the paper's direction is
/// compared only where both say something.</summary>
public class FindingsTests
{
    private static double[] Sample(Random random, double centre, double spread, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => centre * (1 + spread * (random.NextDouble() * 2 - 1)))];

    [Fact]
    public void TwoSamplesFromOneDistributionGiveNoVerdict()
    {
        var random = new Random(7);
        foreach (int runs in new[] { 3, 5 })
            for (int trial = 0; trial < 100; trial++)
            {
                // Noise of ±2.4%: however the runs fall, the medians differ by less than the smallest stated difference.
                var finding = Findings.Compare("x", "latency", Sample(random, 10, 0.024, runs), Sample(random, 10, 0.024, runs), higherIsSlower: true, paper: null, headline: true);
                if (finding.Verdict != Finding.None) Assert.Fail($"{runs} runs, trial {trial}: {finding.Text}");
                Assert.Contains("no measurable difference (within ±", finding.Text);
            }
    }

    [Fact]
    public void WideNoiseRarelyMakesAFindingAndNeverTheSameOneTwiceOpposite()
    {
        // Two equal configurations measured twice each, as two quick studies would (3 runs a side, ±20% noise):
        // a chance verdict is rare, and the two studies never state opposite ones.
        var random = new Random(9);
        int chance = 0, opposite = 0;
        const int trials = 1000;
        for (int trial = 0; trial < trials; trial++)
        {
            var first = Findings.Compare("x", "m", Sample(random, 10, 0.2, 3), Sample(random, 10, 0.2, 3), true, paper: null, headline: true);
            var second = Findings.Compare("x", "m", Sample(random, 10, 0.2, 3), Sample(random, 10, 0.2, 3), true, paper: null, headline: true);
            chance += (first.Verdict != Finding.None ? 1 : 0) + (second.Verdict != Finding.None ? 1 : 0);
            if (first.Verdict != Finding.None && second.Verdict != Finding.None && first.Verdict != second.Verdict) opposite++;
        }
        // Complete separation of 3 against 3 happens one time in ten by chance; 5% apart as well, far less often.
        Console.WriteLine($"chance verdicts {chance} of {2 * trials}, opposite pairs {opposite} of {trials}");
        Assert.InRange(chance, 0, 2 * trials / 20);
        Assert.InRange(opposite, 0, trials / 500);
    }

    [Fact]
    public void ClearlySeparatedSamplesGiveTheRightSign()
    {
        var random = new Random(8);
        var slower = Findings.Compare("a/b", "barrier in 2 VMs against native", Sample(random, 40, 0.05, 3), Sample(random, 1, 0.05, 3), true, paper: 3.9, headline: true);
        Assert.Equal((Finding.Slower, true), (slower.Verdict, slower.PaperAgrees));
        Assert.Matches(@"^Barrier in 2 VMs against native: [0-9]+x slower \[[0-9]+x, [0-9]+x\] \(the paper: 3\.9x slower, the same direction\)\.$", slower.Text);

        var faster = Findings.Compare("a/c", "x", Sample(random, 0.5, 0.05, 3), Sample(random, 1, 0.05, 3), true, paper: 1.5, headline: true);
        Assert.Equal((Finding.Faster, false), (faster.Verdict, faster.PaperAgrees));
        Assert.Contains("faster", faster.Text);
        Assert.Contains("the opposite direction", faster.Text);

        var small = Findings.Compare("a/d", "cg run time", [1.21, 1.23, 1.22], [1.0, 1.01, 1.02], true, paper: null, headline: true);
        Assert.Equal(Finding.Slower, small.Verdict);
        Assert.Equal("Cg run time: +21% [+19%, +23%].", small.Text);
    }

    [Fact]
    public void BandwidthIsSlowerWhenItIsLower()
    {
        var finding = Findings.Compare("pingpong/1MiB/bandwidth", "pingpong 1 MiB bandwidth in 2 VMs", [1200, 1250, 1300], [8000, 8500, 9000],
            higherIsSlower: false, paper: 0.45, headline: true, baselineName: "native shared memory");
        Assert.Equal((Finding.Slower, true), (finding.Verdict, finding.PaperAgrees));
        Assert.StartsWith("Pingpong 1 MiB bandwidth in 2 VMs: 15% [13%, 16%] of native shared memory's bandwidth", finding.Text);
    }

    [Fact]
    public void OneRunOrARunTooShortGivesNoVerdictWhateverTheNumbers()
    {
        var single = Findings.Compare("x", "m", [100], [1], true, paper: 2, headline: true);
        Assert.Equal((Finding.None, (bool?)null), (single.Verdict, single.PaperAgrees));
        Assert.Contains("too few runs", single.Text);
        var tooShort = Findings.Compare("y", "m", [0.04, 0.05, 0.045], [0.01, 0.011, 0.012], true, paper: null, headline: true, tooShort: "a run of 0.010 s");
        Assert.Equal(Finding.None, tooShort.Verdict);
        Assert.Contains("not measurable (a run of 0.010 s)", tooShort.Text);
    }

    [Fact]
    public void FindingsJsonHasTheFieldsScriptsRead()
    {
        var finding = Findings.Compare("allreduce/8B/n2/2vms/per-vm/vs-native", "allreduce", [3.0, 3.2, 3.1], [1.0, 1.1, 1.05], true, paper: null, headline: false);
        using var document = JsonDocument.Parse(Findings.Json([finding]));
        var item = document.RootElement.EnumerateArray().Single();
        Assert.Equal("allreduce/8B/n2/2vms/per-vm/vs-native", item.GetProperty("id").GetString());
        Assert.Equal("slower", item.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("paper").ValueKind);
        foreach (var name in new[] { "metric", "ratio", "low", "high", "text" }) Assert.True(item.TryGetProperty(name, out _), name);
        Assert.Equal([3.0, 3.2, 3.1], item.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(3, item.GetProperty("baseline_values").GetArrayLength());
        Assert.True(item.GetProperty("low").GetDouble() <= item.GetProperty("ratio").GetDouble());
    }
}
