using Cosched.Study.Plan;
using Cosched.Study.Report;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Tests;

/// <summary>The report's tables and findings are computed from the database: known runs in, known
/// medians, intervals and verdicts out.</summary>
public class ReportTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly ResultsStore store;
    private readonly long machine;

    public ReportTests()
    {
        store = ResultsStore.Open(directory.Path);
        machine = store.AddMachine(new MachineInfo("Test CPU", 2, "6.1.0", ".NET 10", "abc123", "host", true, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), 7.5));
    }

    public void Dispose()
    {
        store.Dispose();
        directory.Dispose();
    }

    /// <summary>One run (round) of a micro-benchmark configuration with these (size, µs) rows.</summary>
    private void Add(string workload, int vms, string channels, int round, params (long Bytes, double Usec)[] rows) =>
        AddAt(workload, 4, vms, channels, round, rows);

    private void AddAt(string workload, int ranks, int vms, string channels, int round, params (long Bytes, double Usec)[] rows)
    {
        var configuration = new Configuration(StudyWorkloads.ExperimentOf(workload), Configuration.Cosched, workload, workload == "pingpong" ? 2 : ranks, vms, "compact", channels, "0:3", 0.01);
        var measurements = rows.Select(r => workload == "pingpong"
            ? new Measurement(r.Bytes, 1000, r.Usec, r.Bytes / r.Usec, r.Usec, r.Usec, r.Usec)
            : new Measurement(r.Bytes, 1000, null, null, r.Usec * 0.9, r.Usec * 1.1, r.Usec)).ToList();
        store.AddRun(configuration, round, new RunOutcome(true, null, vms == 0 ? "native" : "namespace", measurements, null, "cosched bench"), DateTime.UtcNow, 1, machine);
    }

    /// <summary>Three runs of each, spread by ±5%.</summary>
    private void AddThree(string workload, int vms, string channels, params (long Bytes, double Usec)[] rows)
    {
        foreach (var (round, scale) in new[] { (0, 1.0), (1, 0.95), (2, 1.05) })
            Add(workload, vms, channels, round, [.. rows.Select(r => (r.Bytes, r.Usec * scale))]);
    }

    private void AddFailed(string workload, int vms, string channels, int round, string error)
    {
        var configuration = new Configuration(StudyWorkloads.ExperimentOf(workload), Configuration.Cosched, workload, 4, vms, "compact", channels, "S", 0.01);
        store.AddRun(configuration, round, RunOutcome.Failed(error, "cosched npb"), DateTime.UtcNow, 1, machine);
    }

    [Fact]
    public void TableOneShowsMediansWithIntervalsAndSlowdownsWithTheirs()
    {
        AddThree("alltoall", 0, "locality", (0, 0.5), (8, 1.0));
        AddThree("alltoall", 2, "per-vm", (0, 5), (8, 14.0));
        AddThree("alltoall", 2, "locality", (0, 0.6), (8, 1.1));
        AddThree("barrier", 0, "locality", (0, 0.5));
        AddThree("barrier", 2, "per-vm", (0, 20));

        var table = Table1.Build(new StudyResults(store), 4, "compact");
        Assert.Equal(["collective (µs)", "MPI, channels between VMs", "native", "1 VM", "2 VMs", "4 VMs", "8 VMs", "16 VMs"], table.Header);
        // Medians of 0.475, 0.5, 0.525 and of 19, 20, 21: the interval of a median of three runs is their range.
        Assert.Equal(["barrier", "Cosched, per-vm", "0.50 [0.48, 0.53]", "", "20.0 [19.0, 21.0] (40x [36, 44])", "", "", ""], table.Rows[0]);
        Assert.Equal(["alltoall 8 B", "Cosched, per-vm", "1.00 [0.95, 1.05]", "", "14.0 [13.3, 14.7] (14x [13, 15])", "", "", ""], table.Rows[1]);
        Assert.Equal(["barrier, the paper", "Intel MPI, InfiniBand (16 ranks)", "2.05", "2.10 (1.0x)", "8.07 (3.9x)", "19.4 (9.5x)", "9.10 (4.4x)", "13.6 (6.6x)"], table.Rows[^1]);
    }

    [Fact]
    public void FindingsStateADifferenceOnlyWhereTheIntervalExcludesOne()
    {
        AddThree("alltoall", 0, "locality", (8, 1.0));
        AddThree("alltoall", 2, "per-vm", (8, 14.0));
        AddThree("alltoall", 2, "locality", (8, 1.02));
        AddThree("pingpong", 0, "locality", (8, 0.25), (1 << 20, 100));
        AddThree("pingpong", 0, "network", (8, 5), (1 << 20, 200));
        AddThree("pingpong", 2, "per-vm", (8, 10), (1 << 20, 400));
        AddThree("pingpong", 2, "locality", (8, 0.3), (1 << 20, 110));

        var findings = Findings.Compute(new StudyResults(store)).ToDictionary(f => f.Id);
        var perVm = findings["alltoall/8B/n4/2vms/per-vm/vs-native"];
        Assert.Equal((Finding.Slower, 14.0), (perVm.Verdict, Math.Round(perVm.Ratio, 6)));
        Assert.StartsWith("Alltoall 8 B, 4 ranks on 2 cores (oversubscribed), in 2 VMs with per-vm channels against native: 14x slower [13x, 15x]", perVm.Text);
        // 1.02 against 1.0, each ±5%: inside the spread.
        var locality = findings["alltoall/8B/n4/2vms/locality/vs-native"];
        Assert.Equal(Finding.None, locality.Verdict);
        Assert.Contains("no measurable difference (within ±", locality.Text);
        Assert.Null(locality.Paper);

        var tcp = findings["pingpong/8B/native-tcp/vs-native-shm"];
        Assert.Equal(Finding.Slower, tcp.Verdict);
        Assert.Equal(true, tcp.PaperAgrees);
        var bandwidth = findings["pingpong/1MiB/bandwidth/2vms/per-vm/vs-native-shm"];
        Assert.Equal((Finding.Slower, 0.45), (bandwidth.Verdict, bandwidth.Paper));
        Assert.StartsWith("Pingpong 1 MiB bandwidth in 2 VMs with per-vm channels: 25% [", bandwidth.Text);

        var sentences = Findings.Sentences([.. findings.Values]);
        Assert.Contains(sentences, s => s.StartsWith("The paper's effect: the largest slowdown with per-vm channels is 14x slower [13x, 15x] (alltoall 8 B, 4 ranks", StringComparison.Ordinal)
            && s.Contains("its cure, locality channels: no measurable difference", StringComparison.Ordinal));
    }

    [Fact]
    public void FindingIdsAreTheSameForTheSamePlanWhateverTheNumbers()
    {
        AddThree("barrier", 0, "locality", (0, 0.5));
        AddThree("barrier", 1, "per-vm", (0, 0.55));
        AddThree("barrier", 2, "per-vm", (0, 20));
        var first = Findings.Compute(new StudyResults(store)).Select(f => f.Id).ToList();
        using var other = new TempDirectory();
        using (var second = ResultsStore.Open(other.Path))
        {
            long id = second.AddMachine(MachineInfo.Current("."));
            foreach (var run in store.Runs())
                second.AddRun(run.Configuration, run.Round, new RunOutcome(true, null, run.VmKind, [.. run.Measurements.Select(m => m with { TAvgUsec = m.TAvgUsec * 3 })], null, ""), DateTime.UtcNow, 1, id);
            Assert.Equal(first, Findings.Compute(new StudyResults(second)).Select(f => f.Id));
        }
        Assert.Equal(["barrier/n4/1vm/vs-native", "barrier/n4/2vms/per-vm/vs-native"], first);
    }

    [Fact]
    public void TheNewestRunOfARoundCountsAndARoundThatFailedIsListed()
    {
        Add("barrier", 0, "locality", 0, (0, 9.0));
        Add("barrier", 0, "locality", 0, (0, 0.5));   // the same round again (a resumed study): the newest counts
        Add("barrier", 0, "locality", 1, (0, 0.7));
        AddFailed("cg", 0, "locality", 0, "needs `cosched npb`");

        var results = new StudyResults(store);
        var barrier = results.Native("barrier", Configuration.Cosched, 4)!;
        Assert.Equal([0.5, 0.7], barrier.LatenciesAt(0));
        Assert.Equal(0.6, barrier.LatencyAt(0)!.Median, 12);
        var failed = Assert.Single(results.Failed);
        Assert.Equal(("cg", 0), (failed.Configuration.Workload, failed.Round));
        Assert.Equal(2, store.MeasuredRounds().Count);
        Assert.Contains("| applications/cosched/cg/n4/vms0/compact/locality/S | 1 | needs `cosched npb` |", File.ReadAllText(ReportWriter.Write(directory.Path, store).Markdown));
    }

    private void AddKernel(int vms, string channels, params double[] seconds)
    {
        var configuration = new Configuration(Experiment.Applications, Configuration.Cosched, "ep", 4, vms, "compact", channels, "A", 0.01);
        for (int round = 0; round < seconds.Length; round++)
            store.AddRun(configuration, round, new RunOutcome(true, null, "namespace", [], new ApplicationResult("A", 1, seconds[round], 100, 25, true), "cosched npb"), DateTime.UtcNow, 1, machine);
    }

    [Fact]
    public void ApplicationsAreOverheadAgainstOneVmAndShortRunsAreNoFinding()
    {
        AddKernel(1, "per-vm", 1.0, 1.01, 0.99);
        AddKernel(2, "per-vm", 1.3, 1.32, 1.28);
        AddKernel(2, "locality", 1.02, 0.98, 1.0);

        var findings = Findings.Compute(new StudyResults(store)).ToDictionary(f => f.Id);
        Assert.Equal(Finding.Slower, findings["ep/n4/2vms/per-vm/vs-1vm"].Verdict);
        Assert.Equal("NAS EP class A run time, 4 ranks on 2 cores (oversubscribed), in 2 VMs with per-vm channels against 1 VM: +30% [+27%, +33%].", findings["ep/n4/2vms/per-vm/vs-1vm"].Text);
        Assert.Equal(Finding.None, findings["ep/n4/2vms/locality/vs-1vm"].Verdict);
        var markdown = File.ReadAllText(ReportWriter.Write(directory.Path, store).Markdown);
        Assert.Contains("| EP A | per-vm | 1.000 s [0.990, 1.010] (0% [-2%, +2%]) | 1.300 s [1.280, 1.320] (+30% [+27%, +33%]) |", markdown);
        Assert.Contains("](plots/applications-overhead.png)", markdown);

        using var other = new TempDirectory();
        using var quick = ResultsStore.Open(other.Path);
        long id = quick.AddMachine(MachineInfo.Current("."));
        var cg = new Configuration(Experiment.Applications, Configuration.Cosched, "cg", 4, 1, "compact", "per-vm", "S", 0.01);
        foreach (var (vms, s) in new[] { (1, 0.04), (2, 0.08) })
            for (int round = 0; round < 3; round++)
                quick.AddRun(cg with { Vms = vms }, round, new RunOutcome(true, null, "namespace", [], new ApplicationResult("S", 1, s, 1, 1, true), ""), DateTime.UtcNow, 1, id);
        var tooShort = Findings.Compute(new StudyResults(quick)).Single();
        Assert.Equal(Finding.None, tooShort.Verdict);
        Assert.Contains("shorter than the 0.5 s the study times", tooShort.Text);
    }

    [Fact]
    public void ManyRanksOnFewCoresAreCalledOversubscribedEverywhere()
    {
        foreach (int round in new[] { 0, 1, 2 })
        {
            AddAt("barrier", 16, 0, "locality", round, (0, 2.0 + round * 0.1));
            AddAt("barrier", 16, 16, "per-vm", round, (0, 40.0 + round));
        }
        var written = ReportWriter.Write(directory.Path, store);
        var markdown = File.ReadAllText(written.Markdown);
        Assert.Contains("## Table 1: collectives at small messages, 16 ranks on 2 cores (oversubscribed)", markdown);
        Assert.Contains("### barrier, 16 ranks on 2 cores (oversubscribed)", markdown);
        var finding = Assert.Single(written.Findings);
        Assert.Equal("barrier/n16/16vms/per-vm/vs-native", finding.Id);
        Assert.Contains("16 ranks on 2 cores (oversubscribed)", finding.Text);
        Assert.Contains("(the paper: 6.6x slower, the same direction)", finding.Text);
        Assert.True(File.Exists(Path.Combine(directory.Path, "findings.json")));
    }

    [Fact]
    public void CsvHasOneLinePerMeasurementAndOnePerFailure()
    {
        Add("allreduce", 0, "locality", 2, (0, 0.3), (4, 0.4), (8, 0.5));
        AddFailed("cg", 2, "per-vm", 0, "exit code 1: rank 1 died, said \"boom\", then left");
        var text = new StringWriter();
        CsvExport.Write(store, text);
        var lines = text.ToString().TrimEnd().Split('\n');
        Assert.Equal(1 + 3 + 1, lines.Length);
        Assert.StartsWith("run_id,experiment,mpi,workload,ranks,threads,vms,pin,channels,vm_kind,status,error,round,bytes,", lines[0]);
        Assert.Contains(",allreduce,4,1,0,compact,locality,native,ok,,2,8,1000,,,0.45,0.55,0.5,", lines[3]);
        Assert.Contains(",failed,\"exit code 1: rank 1 died, said \"\"boom\"\", then left\",0,", lines[4]);
        Assert.EndsWith(",Test CPU,2,6.1.0,.NET 10,abc123,7.5", lines[4]);
    }

    /// <summary>Three runs of the migration experiment with one policy, spread by ±5% as <see cref="AddThree"/>.</summary>
    private void AddMigration(string channels, double before, double consolidated, double after, string vmKind = "namespace")
    {
        var configuration = new Configuration(Experiment.Migration, Configuration.Cosched, StudyWorkloads.Migration, 2, 2, "compact", channels, "8", 3);
        foreach (var (round, scale) in new[] { (0, 1.0), (1, 0.95), (2, 1.05) })
        {
            var series = MigrationSample.Series(before * scale, consolidated * scale, after * scale, channels == "locality" ? "shm-host" : "tcp");
            store.AddRun(configuration, round, new RunOutcome(true, null, vmKind, [], null, "cosched bench pingpong --timeseries", TimeSeries: series), DateTime.UtcNow, 1, machine);
        }
    }

    [Fact]
    public void TheStoreKeepsEachMigrationRunsWindowsAndMoves()
    {
        AddMigration("locality", 10, 2, 10);
        var stored = store.Runs();
        Assert.Equal(3, stored.Count);
        var expected = MigrationSample.Series(10, 2, 10, "shm-host");
        var first = stored[0].TimeSeries!;
        Assert.Equal((expected.Bytes, expected.WindowMs), (first.Bytes, first.WindowMs));
        Assert.Equal(expected.Windows, first.Windows);
        Assert.Equal(expected.Moves, first.Moves);
        // Runs of the other experiments have none.
        Add("barrier", 0, "locality", 0, (0, 0.5));
        Assert.Null(store.Runs()[^1].TimeSeries);
    }

    [Fact]
    public void MigrationFindingsStateOnlyWhatLiesBeyondTheSpread()
    {
        AddMigration("per-vm", 10, 10.2, 9.9);
        AddMigration("locality", 10, 2, 10);
        var findings = Findings.Compute(new StudyResults(store)).ToDictionary(f => f.Id);
        var locality = findings["migration/8B/locality/consolidated/vs-before"];
        Assert.Equal((Finding.Faster, 0.2, true), (locality.Verdict, Math.Round(locality.Ratio, 6), locality.Headline));
        Assert.Equal("Pingpong 8 B latency with locality channels, consolidated onto one host, against before the moves: 5.0x faster [4.5x, 5.5x].", locality.Text);
        // 10.2 and 9.9 against 10, each ±5%: inside the spread.
        Assert.Equal(Finding.None, findings["migration/8B/per-vm/consolidated/vs-before"].Verdict);
        Assert.Equal(Finding.None, findings["migration/8B/per-vm/after/vs-before"].Verdict);
        var after = findings["migration/8B/locality/after/vs-before"];
        Assert.Equal((Finding.None, false), (after.Verdict, after.Headline));
        Assert.Equal(4, findings.Count);
    }

    [Fact]
    public void TheReportShowsEachPhaseEachMoveAndTheTimeSeries()
    {
        AddMigration("per-vm", 10, 10.2, 9.9);
        AddMigration("locality", 10, 2, 10);
        var results = new StudyResults(store);
        // The plotted run: the one whose consolidated latency is the median (round 1: x1.0).
        Assert.All(MigrationPolicy.In(results), p => Assert.Equal(0, p.Representative.Run.Round));
        var written = ReportWriter.Write(directory.Path, store);
        var markdown = File.ReadAllText(written.Markdown);
        Assert.Contains("## Migration: two VMs consolidated onto one host and spread again", markdown);
        Assert.Contains("At 1.00 s VM 1 moves to host 0 (consolidate), at 2.00 s back to host 1 (spread)", markdown);
        Assert.Contains("| channels | phase | channel | runs | latency (µs) | against before |", markdown);
        Assert.Contains("| per-vm | before (2 hosts) | tcp | 3 | 10.0 [9.50, 10.5] |  |", markdown);
        Assert.Contains("| locality | consolidated (1 host) | shm-host | 3 | 2.00 [1.90, 2.10] | 0.20x [0.18, 0.22] |", markdown);
        Assert.Contains("| locality | after (2 hosts) | tcp | 3 | 10.0 [9.50, 10.5] | 1.0x [0.90, 1.1] |", markdown);
        // Every run made the same moves: each phase's interval is a point; all moves together span both.
        Assert.Contains("| locality channels (ms) | consolidate (3) | spread (3) | all (6) |", markdown);
        Assert.Contains("| total | 10.0 [10.0, 10.0] | 5.00 [5.00, 5.00] | 7.50 [5.00, 10.0] |", markdown);
        Assert.Contains("| longest wait | 0.50 [0.50, 0.50] | 0.25 [0.25, 0.25] | 0.38 [0.25, 0.50] |", markdown);
        Assert.Contains("The VMs were network namespaces", markdown);
        Assert.Contains("consolidate: “namespace provider: cpuset 0 and the destination's host segment moved; processes and memory stay where they are”", markdown);
        Assert.Contains("](plots/migration-timeseries.png)", markdown);
        Assert.Contains("| migration | 6 |", markdown);   // the spread table counts its phases' figures
        var plot = Path.Combine(directory.Path, ReportWriter.PlotFolder, "migration-timeseries.png");
        Assert.Contains(plot, written.Plots);
        using (var bitmap = SkiaSharp.SKBitmap.Decode(plot))
            Assert.True(bitmap is { Width: > 800, Height: > 600 }, "the time series is two stacked panels");
        var html = File.ReadAllText(written.Html);
        Assert.Contains("<td>shm-host</td>", html);
        Assert.Equal(1, html.Split("src=\"data:image/png;base64,").Length - 1);
    }

    [Fact]
    public void TheReportSaysWhenTheProcessProviderEmulatedTheVms()
    {
        AddMigration("locality", 10, 2, 10, vmKind: "process");
        var markdown = File.ReadAllText(ReportWriter.Write(directory.Path, store).Markdown);
        Assert.Contains("VMs: the process provider, an EMULATION", markdown);
        Assert.Contains("The VMs were made by the process provider, an EMULATION", markdown);
    }
}
