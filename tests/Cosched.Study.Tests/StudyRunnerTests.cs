using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Running.Workloads;
using Cosched.Study.Store;

namespace Cosched.Study.Tests;

/// <summary>The study runs its configurations in interleaved rounds, batches what one command can
/// measure together, keeps every run, and does not retry what failed.</summary>
public class StudyRunnerTests
{
    /// <summary>A stand-in workload: a shell command that appends the batch's names to a log, and
    /// output that fails for "bad".</summary>
    private sealed class LoggingWorkload(string log) : StudyWorkload
    {
        public override bool Handles(Configuration configuration) => true;

        public override string? BatchKey(Configuration configuration) => configuration.Workload.StartsWith("batched", StringComparison.Ordinal) ? "batch" : null;

        public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport) =>
            ["/bin/sh", "-c", $"echo {string.Join('+', batch.Select(c => c.Workload))} >> {log}; {(batch[0].Workload == "slow" ? "exec sleep 60" : "echo ok")}"];

        public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeSpan.FromSeconds(30);

        public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind) =>
            [.. batch.Select(c => c.Workload == "bad" ? RunOutcome.Failed("bad output", command, vmKind)
                : new RunOutcome(true, null, vmKind, [new Measurement(0, 1, null, null, 1, 1, 1)], null, command))];
    }

    /// <summary>A runner of the stand-in workload, its log and its database in a temporary directory.</summary>
    private sealed class Study : IDisposable
    {
        private readonly TempDirectory directory = new();
        public string Log => Path.Combine(directory.Path, "log");
        public ResultsStore Store { get; }
        public StudyRunner Runner { get; }

        public Study()
        {
            Store = ResultsStore.Open(directory.Path);
            Runner = new StudyRunner(new ConfigurationRunner([new LoggingWorkload(Log)]), Store, Store.AddMachine(MachineInfo.Current(".")), TextWriter.Null);
        }

        public void Dispose()
        {
            Store.Dispose();
            directory.Dispose();
        }
    }

    private static Configuration Make(string workload) =>
        new(Experiment.Collectives, Configuration.Cosched, workload, 2, 0, "compact", "locality", "0:0", 0.01);

    [Fact]
    public void RoundsAreInterleavedBatchedAndStoredOneRunEach()
    {
        using var study = new Study();
        var (log, store, runner) = (study.Log, study.Store, study.Runner);
        var summary = runner.Run([Make("a"), Make("batched1"), Make("bad"), Make("batched2")], roundsOf: _ => 3, resume: false, interactive: false);

        // Round after round; the two batched configurations in one command; "bad" failed in round 1 and is not run again.
        Assert.Equal(["a", "batched1+batched2", "bad", "a", "batched1+batched2", "a", "batched1+batched2"], File.ReadAllLines(log));
        Assert.Equal(new StudyRunner.Summary(9, 0, 1), summary);
        var runs = store.Runs();
        Assert.Equal(3, runs.Count(r => r.Configuration.Workload == "batched2" && r.Ok));
        Assert.Equal([0, 1, 2], runs.Where(r => r.Configuration.Workload == "a").Select(r => r.Round));
        Assert.Single(runs, r => !r.Ok);

        // Resumed with one round more (and a fifth for "a" alone): "bad" again (no round of it succeeded; it fails at once), then round 4.
        File.Delete(log);
        var resumed = runner.Run([Make("a"), Make("batched1"), Make("bad"), Make("batched2")], roundsOf: c => c.Workload == "a" ? 5 : 4, resume: true, interactive: false);
        Assert.Equal(["bad", "a", "batched1+batched2", "a"], File.ReadAllLines(log));
        Assert.Equal(9, resumed.Skipped);
    }

    [Fact]
    public void AnInterruptedStudyEndsTheRunInProgressAndStoresNothingOfIt()
    {
        using var study = new Study();
        var (log, store, runner) = (study.Log, study.Store, study.Runner);
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var summary = runner.Run([Make("a"), Make("slow"), Make("b")], roundsOf: _ => 2, resume: false, interactive: false, interrupt.Token);
        // The sleeping command was ended at once (SIGTERM), not waited for; "b" never started.
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 15);
        Assert.Equal(["a", "slow"], File.ReadAllLines(log));
        Assert.Equal(1, summary.Measured);
        Assert.Equal(["a"], store.Runs().Select(r => r.Configuration.Workload));
    }
}
