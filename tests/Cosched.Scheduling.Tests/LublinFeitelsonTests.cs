using System.Diagnostics;
using System.Numerics;
using Cosched.Scheduling.Traces;

namespace Cosched.Scheduling.Tests;

public class LublinFeitelsonTests
{
    [Fact]
    public void The_same_seed_gives_the_same_trace_and_another_seed_another()
    {
        var a = LublinFeitelson.Generate(2000, 128, seed: 42);
        Assert.Equal(a, LublinFeitelson.Generate(2000, 128, seed: 42));
        Assert.NotEqual(a, LublinFeitelson.Generate(2000, 128, seed: 43));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(1024)]
    [InlineData(100)]
    [InlineData(4)]
    [InlineData(1)]
    public void Jobs_are_well_formed_for_any_machine_size(int maxProcessors)
    {
        var trace = LublinFeitelson.Generate(20_000, maxProcessors, seed: 7);
        Assert.Equal(20_000, trace.Jobs.Count);
        Assert.Equal(maxProcessors, trace.MaxProcessors);
        for (int i = 0; i < trace.Jobs.Count; i++)
        {
            var job = trace.Jobs[i];
            Assert.Equal(i + 1, job.JobNumber);
            Assert.InRange(job.Processors, 1, maxProcessors);
            Assert.Equal(job.AllocatedProcessors, job.RequestedProcessors);
            Assert.True(job.RunSeconds > 0, $"job {job.JobNumber} runs {job.RunSeconds} s");
            Assert.True(job.RequestedSeconds >= job.RunSeconds, $"job {job.JobNumber} asks for {job.RequestedSeconds} s and runs {job.RunSeconds} s");
            Assert.Equal(0, job.RequestedSeconds % 60);
            Assert.Equal(1, job.Status);
            Assert.Contains(job.Queue, new[] { 0, 1 });
            if (i > 0) Assert.True(job.SubmitSeconds >= trace.Jobs[i - 1].SubmitSeconds, $"job {job.JobNumber} is submitted before job {i}");
        }
    }

    [Fact]
    public void Sizes_show_the_models_serial_jobs_and_powers_of_two()
    {
        var jobs = LublinFeitelson.Generate(50_000, 128, seed: 1).Jobs;
        double serial = jobs.Count(j => j.Processors == 1) / (double)jobs.Count;
        double powerOfTwo = jobs.Count(j => j.Processors > 1 && BitOperations.IsPow2(j.Processors)) / (double)jobs.Count;
        double parallelOther = jobs.Count(j => j.Processors > 1 && !BitOperations.IsPow2(j.Processors)) / (double)jobs.Count;
        // The model's proportions are 15-29% serial and 63-67% power-of-two per class; sizes that
        // round to a power of two by chance add a little to the latter.
        Assert.InRange(serial, 0.15, 0.30);
        Assert.InRange(powerOfTwo, 0.5, 0.8);
        Assert.InRange(parallelOther, 0.03, 0.3);
        Assert.Contains(jobs, j => j.Processors == 128);
        Assert.Contains(jobs, j => j.Queue == 0);
        Assert.Contains(jobs, j => j.Queue == 1);
    }

    [Fact]
    public void Larger_jobs_run_longer_on_average()
    {
        // The model's point: the mixing probability falls with size, so big jobs draw more often
        // from the long-running gamma.
        var jobs = LublinFeitelson.Generate(50_000, 128, seed: 5).Jobs;
        double small = jobs.Where(j => j.Processors <= 4).Average(j => Math.Log(j.RunSeconds));
        double large = jobs.Where(j => j.Processors >= 32).Average(j => Math.Log(j.RunSeconds));
        Assert.True(large > small, $"mean ln(run) of large jobs {large:F2}, of small ones {small:F2}");
    }

    [Theory]
    [InlineData(0.5, 128)]
    [InlineData(0.9, 128)]
    [InlineData(1.5, 512)]
    [InlineData(0.7, 16)]
    public void Rescaled_arrivals_offer_the_asked_load(double load, int maxProcessors)
    {
        var trace = LublinFeitelson.Generate(10_000, maxProcessors, seed: 11, load);
        Assert.InRange(trace.OfferedLoad(maxProcessors), load * 0.99, load * 1.01);
        Assert.Contains(trace.Header, h => h.StartsWith("Note: seed=11 load=", StringComparison.Ordinal));
    }

    [Fact]
    public void Rescaling_changes_only_the_submit_times()
    {
        var model = LublinFeitelson.Generate(3000, 128, seed: 2);
        var loaded = LublinFeitelson.Generate(3000, 128, seed: 2, load: 0.8);
        Assert.Equal(model.Jobs.Select(j => (j.Processors, j.RunSeconds, j.RequestedSeconds)),
            loaded.Jobs.Select(j => (j.Processors, j.RunSeconds, j.RequestedSeconds)));
        Assert.Equal(model.Jobs[0].SubmitSeconds, loaded.Jobs[0].SubmitSeconds);
    }

    [Fact]
    public void Header_describes_the_trace()
    {
        var trace = LublinFeitelson.Generate(10, 64, seed: 9);
        Assert.Equal("Version: 2.2", trace.Header[0]);
        Assert.Contains("Computer: Cosched synthetic (Lublin-Feitelson 2003 model)", trace.Header);
        Assert.Contains("MaxJobs: 10", trace.Header);
        Assert.Contains("MaxProcs: 64", trace.Header);
        Assert.Contains(trace.Header, h => h.StartsWith("Note: seed=9 load=0 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LublinFeitelson.Generate(0, 128, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LublinFeitelson.Generate(10, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LublinFeitelson.Generate(10, 128, 1, -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LublinFeitelson.Generate(10, 128, 1, double.NaN));
    }

    [Fact]
    public void A_hundred_thousand_jobs_are_generated_written_and_read_back_quickly()
    {
        // A guard against an accidental slow path (a regex per line, a quadratic list, a sampler
        // that loops per unit of shape), not a benchmark: the bound is loose enough for a busy
        // two-core CI machine, and a slow path costs ten times more. Warm up first so JIT time of
        // a cold process does not count.
        LublinFeitelson.Generate(100, 128, seed: 1);
        SwfReader.Parse(new StringReader("1 0 -1 1 1 -1 -1 1 60 -1 1 -1 -1 -1 1 -1 -1 -1\n"), "warm.swf");

        var clock = Stopwatch.StartNew();
        var trace = LublinFeitelson.Generate(100_000, 128, seed: 4);
        var generated = clock.Elapsed;
        var writer = new StringWriter();
        SwfWriter.Write(trace, writer);
        var written = clock.Elapsed;
        var back = SwfReader.Parse(new StringReader(writer.ToString()), "big.swf");
        var read = clock.Elapsed;

        Assert.Equal(trace, back);
        Assert.True(read < TimeSpan.FromSeconds(5),
            $"generate {generated.TotalMilliseconds:F0} ms, write {(written - generated).TotalMilliseconds:F0} ms, read {(read - written).TotalMilliseconds:F0} ms");
    }
}
