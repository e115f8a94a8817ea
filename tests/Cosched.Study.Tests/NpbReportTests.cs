using Cosched.Study.Plan;
using Cosched.Study.Report;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Tests;

/// <summary>The report's NPB sections (Fig. 3b and the multi-zone Fig. 2), the rows of IMB on Cosched,
/// and the database's threads, from known runs stored as a study stores them.</summary>
public class NpbReportTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly ResultsStore store;
    private readonly long machine;

    public NpbReportTests()
    {
        store = ResultsStore.Open(directory.Path);
        machine = store.AddMachine(new MachineInfo("Test CPU", 2, "6.1.0", ".NET 10", "abc123", "host", true, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
    }

    public void Dispose()
    {
        store.Dispose();
        directory.Dispose();
    }

    /// <summary>One run per value of an NPB binary's configuration, as NPB reported them.</summary>
    private void AddNpb(string workload, int ranks, int vms, string channels, int threads, params double[] seconds)
    {
        var configuration = new Configuration(StudyWorkloads.ExperimentOf(workload), Configuration.Cosched, workload, ranks, vms, "compact", channels, "A", 0.01, threads);
        for (int round = 0; round < seconds.Length; round++)
            store.AddRun(configuration, round, new RunOutcome(true, null, vms == 0 ? "native" : "namespace", [], new ApplicationResult("A", 200, seconds[round], 1000 / seconds[round], 500 / seconds[round], true),
                $"cosched run -- /npb/bin/{StudyWorkloads.NpbKernel(workload)}.A.x"), DateTime.UtcNow, 1, machine);
    }

    private string Markdown() => File.ReadAllText(ReportWriter.Write(directory.Path, store).Markdown);

    [Fact]
    public void SingleZoneKernelsAreOverheadAgainstOneVmAndTheMissingMultiZonePartIsExplained()
    {
        AddNpb("npb:cg", 2, 1, "per-vm", 1, 1.0, 1.01, 0.99);
        AddNpb("npb:cg", 2, 2, "per-vm", 1, 1.3, 1.32, 1.28);
        AddNpb("npb:cg", 2, 2, "locality", 1, 1.02, 0.98, 1.0);
        AddNpb("npb:bt", 1, 0, "locality", 1, 2.0, 2.1, 1.9);
        AddNpb("npb:bt", 1, 1, "per-vm", 1, 2.0, 2.1, 1.9);
        store.AddRun(new Configuration(Experiment.Applications, Configuration.Cosched, "npb:is", 2, 2, "compact", "per-vm", "A", 0.01), 0,
            RunOutcome.Failed("NPB IS class A: NPB's verification: UNSUCCESSFUL", "cosched run -- is.A.x"), DateTime.UtcNow, 1, machine);

        var written = ReportWriter.Write(directory.Path, store);
        var markdown = File.ReadAllText(written.Markdown);
        Assert.Contains("## NPB 3.4's own code (the paper's Fig. 3b)", markdown);
        Assert.Contains("| application | channels | native | 1 VM | 2 VMs |", markdown);
        // CG ran no native: its native cells are empty (BT's native run gave the table its column).
        Assert.Contains("| CG A, 2 ranks | per-vm |  | 1.000 s [0.990, 1.010] (0% [-2%, +2%]) | 1.300 s [1.280, 1.320] (+30% [+27%, +33%]) |", markdown);
        Assert.Contains("| CG A, 2 ranks | locality |  | 1.000 s [0.990, 1.010] (0% [-2%, +2%]) | 1.000 s [0.980, 1.020] (0% [-3%, +3%]) |", markdown);
        // NPB's rule, and the kernel it left with one rank.
        Assert.Contains("BT and SP need a square number, CG, FT, IS, LU and MG a power of two, EP any", markdown);
        Assert.Contains("BT class A on 1 rank (no VMs to split it over, so no overhead), CG class A on 2 ranks, IS class A on 2 ranks", markdown);
        Assert.Contains("](plots/npb-overhead.png)", markdown);
        Assert.Contains("The multi-zone part did not run: the `--npb` directory held no BT-MZ, SP-MZ or LU-MZ binary", markdown);
        Assert.Contains("| applications/cosched/npb:is/n2/vms2/compact/per-vm/A | 1 | NPB IS class A: NPB's verification: UNSUCCESSFUL |", markdown);
        Assert.Contains("- NPB's own binaries, built with Cosched's wrappers: BT class A on 1 rank, CG class A on 2 ranks", markdown);
        // Cosched's own applications did not run: no section of theirs.
        Assert.DoesNotContain("## Applications (the paper's Fig. 3)", markdown);

        var findings = written.Findings.ToDictionary(f => f.Id);
        var perVm = findings["npb:cg/A/n2/2vms/per-vm/vs-1vm"];
        Assert.Equal((Finding.Slower, true), (perVm.Verdict, perVm.Headline));
        Assert.Equal("NPB 3.4's own CG class A run time, 2 ranks, in 2 VMs with per-vm channels against 1 VM: +30% [+27%, +33%].", perVm.Text);
        Assert.Equal(Finding.None, findings["npb:cg/A/n2/2vms/locality/vs-1vm"].Verdict);
        Assert.Equal(2, findings.Count);
    }

    [Fact]
    public void MultiZoneMixesAreATableAndAPlotAgainstNativeInTheSameMix()
    {
        AddNpb("npb:bt-mz", 1, 0, "locality", 2, 2.0, 2.02, 1.98);
        AddNpb("npb:bt-mz", 1, 1, "per-vm", 2, 2.1, 2.12, 2.08);
        AddNpb("npb:bt-mz", 2, 0, "locality", 1, 1.5, 1.52, 1.48);
        AddNpb("npb:bt-mz", 2, 1, "per-vm", 1, 1.5, 1.53, 1.47);
        AddNpb("npb:bt-mz", 2, 2, "per-vm", 1, 1.8, 1.82, 1.78);
        AddNpb("npb:bt-mz", 2, 2, "locality", 1, 1.55, 1.57, 1.53);

        var written = ReportWriter.Write(directory.Path, store);
        var markdown = File.ReadAllText(written.Markdown);
        Assert.Contains("## NPB multi-zone: processes x threads (the paper's Fig. 2)", markdown);
        Assert.Contains("No single-zone kernel (`bt.A.x`, `cg.A.x` ...) was in the `--npb` directory.", markdown);
        Assert.Contains("### BT-MZ class A", markdown);
        Assert.Contains("| processes x threads | native | 1 VM | 2 VMs per-vm | 2 VMs locality |", markdown);
        Assert.Contains("| 1 x 2 | 2.000 s [1.980, 2.020] | 2.100 s [2.080, 2.120] (+5% [+3%, +7%]) |  |  |", markdown);
        Assert.Contains("| 2 x 1 | 1.500 s [1.480, 1.520] | 1.500 s [1.470, 1.530] (0% [-3%, +3%]) | 1.800 s [1.780, 1.820] (+20% [+17%, +23%]) | 1.550 s [1.530, 1.570] (+3% [+1%, +6%]) |", markdown);
        Assert.Contains("- NPB's own binaries, built with Cosched's wrappers: BT-MZ class A on 1 x 2 and 2 x 1 (processes x threads)", markdown);
        var plot = Path.Combine(directory.Path, ReportWriter.PlotFolder, "bt-mz-A-mixes.png");
        Assert.Contains(plot, written.Plots);
        using (var bitmap = SkiaSharp.SKBitmap.Decode(plot))
            Assert.True(bitmap is { Width: > 800, Height: > 400 });
        Assert.Contains("| multi-zone | 6 |", markdown);   // the spread table counts each configuration's run times

        var findings = written.Findings.ToDictionary(f => f.Id);
        Assert.Equal(["npb:bt-mz/A/1x2/1vm/vs-native", "npb:bt-mz/A/2x1/1vm/vs-native", "npb:bt-mz/A/2x1/2vms/per-vm/vs-native", "npb:bt-mz/A/2x1/2vms/locality/vs-native"], findings.Keys);
        var perVm = findings["npb:bt-mz/A/2x1/2vms/per-vm/vs-native"];
        Assert.Equal((Finding.Slower, true), (perVm.Verdict, perVm.Headline));
        Assert.Equal("NPB BT-MZ class A run time, 2 processes x 1 thread, in 2 VMs with per-vm channels against native: +20% [+17%, +23%].", perVm.Text);
        Assert.False(findings["npb:bt-mz/A/2x1/1vm/vs-native"].Headline);
        Assert.True(findings["npb:bt-mz/A/1x2/1vm/vs-native"].Headline);
    }

    [Fact]
    public void AStudyWithoutNpbSaysHowToRunIt()
    {
        var configuration = new Configuration(Experiment.Collectives, Configuration.Cosched, "barrier", 2, 0, "compact", "locality", "0:3", 0.01);
        store.AddRun(configuration, 0, new RunOutcome(true, null, "native", [new Measurement(0, 1000, null, null, 1, 1, 1)], null, ""), DateTime.UtcNow, 1, machine);
        var markdown = Markdown();
        Assert.Contains("## NPB 3.4's own code (the paper's Fig. 3b)", markdown);
        Assert.Contains("Not measured: run the study with `--npb DIR`", markdown);
        Assert.DoesNotContain("## NPB multi-zone", markdown);
        Assert.Contains("IMB on Cosched: not measured; run the study with `--imb-cosched PATH`", markdown);
    }

    /// <summary>Three runs of a micro-benchmark configuration of <paramref name="mpi"/> at these latencies (µs, ±5%).</summary>
    private void AddThree(string mpi, string workload, int vms, string channels, double usec)
    {
        var configuration = new Configuration(StudyWorkloads.ExperimentOf(workload), mpi, workload, 2, vms, "compact", channels, "0:3", 0.01);
        foreach (var (round, scale) in new[] { (0, 1.0), (1, 0.95), (2, 1.05) })
        {
            double t = usec * scale;
            var rows = workload == "pingpong" ? new[] { new Measurement(8, 1000, t, 8 / t, null, null, null) } : [new Measurement(0, 1000, null, null, t, t, t)];
            store.AddRun(configuration, round, new RunOutcome(true, null, vms == 0 ? "native" : "namespace", rows, null, ""), DateTime.UtcNow, 1, machine);
        }
    }

    [Fact]
    public void ImbOnCoschedHasRowsBesideCoschedsOwnAndIsComparedWithThem()
    {
        AddThree(Configuration.Cosched, "barrier", 0, "locality", 1.0);
        AddThree(Configuration.Cosched, "barrier", 2, "per-vm", 20);
        AddThree(Configuration.CoschedImb, "barrier", 0, "locality", 1.5);
        AddThree(Configuration.CoschedImb, "barrier", 2, "per-vm", 21);
        AddThree(Configuration.Cosched, "pingpong", 0, "locality", 0.4);
        AddThree(Configuration.CoschedImb, "pingpong", 0, "locality", 0.5);

        var written = ReportWriter.Write(directory.Path, store);
        var markdown = File.ReadAllText(written.Markdown);
        Assert.Contains("| barrier | Cosched, per-vm | 1.00 [0.95, 1.05] |", markdown);
        Assert.Contains("| barrier | IMB on Cosched, per-vm | 1.50 [1.43, 1.58] |", markdown);
        Assert.Contains("IMB on Cosched: IMB-MPI1 built with `cosched mpicc` ran under `cosched run`", markdown);
        var findings = written.Findings.ToDictionary(f => f.Id);
        var pingpong = findings["cosched-imb/pingpong/8B/n2/native-shm/vs-bench"];
        Assert.Equal((Finding.Slower, true), (pingpong.Verdict, pingpong.Headline));
        Assert.StartsWith("IMB-MPI1 built with cosched mpicc, pingpong 8 B, 2 ranks, native shm, against `cosched bench`: +25%", pingpong.Text);
        Assert.False(findings["cosched-imb/barrier/n2/2vms/per-vm/vs-bench"].Headline);
        // IMB on Cosched's slowdown in VMs is in findings.json, not among the headlines.
        Assert.False(findings["cosched-imb/barrier/n2/2vms/per-vm/vs-native"].Headline);
        Assert.True(findings["barrier/n2/2vms/per-vm/vs-native"].Headline);
    }

    [Fact]
    public void TheStoreKeepsEachRunsThreadsAndOpensADatabaseMadeBeforeThreads()
    {
        AddNpb("npb:bt-mz", 1, 0, "locality", 2, 2.0);
        var run = store.Runs().Single();
        Assert.Equal((2, "multi-zone/cosched/npb:bt-mz/n1/vms0/compact/locality/A/t2"), (run.Configuration.Threads, run.Configuration.Key));
        var csv = new StringWriter();
        CsvExport.Write(store, csv);
        Assert.StartsWith("run_id,experiment,mpi,workload,ranks,threads,vms,", csv.ToString());
        Assert.Contains(",multi-zone,cosched,npb:bt-mz,1,2,0,compact,locality,", csv.ToString());

        using var old = new TempDirectory();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={ResultsStore.PathIn(old.Path)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // The runs table of a study made before threads (and before rounds).
            command.CommandText = """
                CREATE TABLE runs (id INTEGER PRIMARY KEY, key TEXT NOT NULL, experiment TEXT, mpi TEXT, workload TEXT, ranks INTEGER,
                  vms INTEGER, pin TEXT, channels TEXT, msglog TEXT, time_seconds REAL, status TEXT, error TEXT,
                  vm_kind TEXT, started_utc TEXT, elapsed_seconds REAL, command TEXT, machine_id INTEGER);
                INSERT INTO runs VALUES (1, 'k', 'collectives', 'cosched', 'barrier', 2, 0, 'compact', 'locality', '0:3', 0.01, 'ok', NULL, 'native', '2026-01-02T03:04:05.000Z', 1, '', 1);
                """;
            command.ExecuteNonQuery();
        }
        using var reopened = ResultsStore.OpenExisting(old.Path)!;
        Assert.Equal(1, reopened.Runs().Single().Configuration.Threads);
    }
}
