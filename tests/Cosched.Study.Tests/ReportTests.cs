using Cosched.Study.Plan;
using Cosched.Study.Report;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Tests;

/// <summary>The report's table and findings are computed from the database: known rows in, known
/// factors out.</summary>
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

    private void Add(string workload, int vms, string channels, params (long Bytes, double Usec)[] rows)
    {
        var configuration = new Configuration(StudyWorkloads.ExperimentOf(workload), Configuration.Cosched, workload, 4, vms, "compact", channels, "0:3", 0.01);
        var measurements = rows.Select(r => workload == "pingpong"
            ? new Measurement(r.Bytes, 1000, r.Usec, r.Bytes / r.Usec, r.Usec, r.Usec, r.Usec)
            : new Measurement(r.Bytes, 1000, null, null, r.Usec * 0.9, r.Usec * 1.1, r.Usec)).ToList();
        store.AddRun(configuration, new RunOutcome(true, null, vms == 0 ? "native" : "namespace", measurements, null, "cosched bench"), DateTime.UtcNow, 1, machine);
    }

    private void AddFailed(string workload, int vms, string channels, string error)
    {
        var configuration = new Configuration(StudyWorkloads.ExperimentOf(workload), Configuration.Cosched, workload, 4, vms, "compact", channels, "S", 0.01);
        store.AddRun(configuration, RunOutcome.Failed(error, "cosched npb"), DateTime.UtcNow, 1, machine);
    }

    [Fact]
    public void TableOneHasARowPerCollectiveAndPolicyWithFactorsAndThePapersRow()
    {
        Add("alltoall", 0, "locality", (0, 0.5), (8, 1.0));
        Add("alltoall", 2, "per-vm", (0, 5), (8, 14.0));
        Add("alltoall", 2, "locality", (0, 0.6), (8, 1.1));
        Add("barrier", 0, "locality", (0, 0.5));
        Add("barrier", 2, "per-vm", (0, 20));

        var table = Table1.Build(new StudyResults(store), "compact");
        Assert.Equal(["collective (µs)", "MPI, channels between VMs", "native", "1 VM", "2 VMs", "4 VMs", "8 VMs", "16 VMs"], table.Header);
        Assert.Equal(["barrier", "Cosched, per-vm", "0.50", "", "20.0 (40x)", "", "", ""], table.Rows[0]);
        Assert.Equal(["alltoall 8 B", "Cosched, per-vm", "1.00", "", "14.0 (14x)", "", "", ""], table.Rows[1]);
        Assert.Equal(["alltoall 8 B", "Cosched, locality", "1.00", "", "1.10 (1.1x)", "", "", ""], table.Rows[2]);
        Assert.Equal(["barrier, the paper", "Intel MPI, InfiniBand (16 ranks)", "2.05", "2.10 (1.0x)", "8.07 (3.9x)", "19.4 (9.5x)", "9.10 (4.4x)", "13.6 (6.6x)"], table.Rows[^1]);
    }

    [Fact]
    public void FindingsNameTheEffectAndTheCure()
    {
        Add("alltoall", 0, "locality", (8, 1.0));
        Add("alltoall", 2, "per-vm", (8, 14.0));
        Add("alltoall", 2, "locality", (8, 1.1));
        Add("pingpong", 0, "locality", (8, 0.25), (1 << 20, 100));
        Add("pingpong", 0, "network", (8, 5), (1 << 20, 200));
        Add("pingpong", 2, "per-vm", (8, 10), (1 << 20, 400));
        Add("pingpong", 2, "locality", (8, 0.3), (1 << 20, 110));

        var findings = Findings.Compute(new StudyResults(store));
        Assert.Contains("alltoall 8 B: 14x slower in 2 VMs with per-vm channels, 1.1x with locality channels (against native, 1.00 µs).", findings);
        Assert.Contains(findings, f => f.StartsWith("pingpong 8 B one-way latency: native shared memory 0.25 µs, native tcp 5.00 µs (20x), 2 VMs per-vm 10.0 µs (40x), 2 VMs locality 0.30 µs (1.2x)", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("pingpong 1 MiB bandwidth: 2 VMs per-vm reach 25% of native shared memory", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("The paper's effect: the worst slowdown with per-vm channels is 14x (alltoall 8 B in 2 VMs); its cure: locality channels bring it to 1.1x.", StringComparison.Ordinal));
    }

    [Fact]
    public void TheNewestRunOfAConfigurationCountsAndFailuresThatWereRetriedAreGone()
    {
        Add("barrier", 0, "locality", (0, 9.0));
        Add("barrier", 0, "locality", (0, 0.5));
        AddFailed("ep", 0, "locality", "first try failed");
        AddFailed("cg", 0, "locality", "needs `cosched npb`");
        var ep = new Configuration(Experiment.Applications, Configuration.Cosched, "ep", 4, 0, "compact", "locality", "S", 0.01);
        store.AddRun(ep, new RunOutcome(true, null, "native", [], new ApplicationResult("S", 1, 0.5, 10, 2.5, true), "cosched npb"), DateTime.UtcNow, 1, machine);

        var results = new StudyResults(store);
        Assert.Equal(0.5, StudyResults.LatencyAt(results.Native("barrier", Configuration.Cosched), 0));
        var failed = Assert.Single(results.Failed);
        Assert.Equal("cg", failed.Configuration.Workload);
        Assert.Equal(2, store.MeasuredKeys().Count);
    }

    private void AddKernel(int vms, string channels, double seconds)
    {
        var configuration = new Configuration(Experiment.Applications, Configuration.Cosched, "ep", 4, vms, "compact", channels, "S", 0.01);
        store.AddRun(configuration, new RunOutcome(true, null, "namespace", [], new ApplicationResult("S", 1, seconds, 100 / seconds, 25 / seconds, true), "cosched npb"), DateTime.UtcNow, 1, machine);
    }

    [Fact]
    public void ApplicationsAreOverheadAgainstTheOneVmRunOfEitherPolicy()
    {
        AddKernel(1, "per-vm", 1.0);
        AddKernel(2, "per-vm", 1.5);
        AddKernel(2, "locality", 1.02);

        Assert.Contains(Findings.Compute(new StudyResults(store)), f => f.StartsWith("NAS EP class S in 2 VMs against 1 VM: +50% with per-vm channels, +2% with locality channels", StringComparison.Ordinal));
        var markdown = File.ReadAllText(ReportWriter.Write(directory.Path, store).Markdown);
        Assert.Contains("| EP S | locality | 1.000 s (+0.0%) | 1.020 s (+2.0%) |", markdown);
        Assert.Contains("](plots/applications-overhead.png)", markdown);
    }

    [Fact]
    public void EachSizeKeepsItsBestRound()
    {
        var configuration = new Configuration(Experiment.Collectives, Configuration.Cosched, "allreduce", 4, 0, "compact", "locality", "0:3", 0.01);
        Measurement Row(long bytes, double usec, int round) => new(bytes, 1000, null, null, usec, usec, usec, round);
        store.AddRun(configuration, new RunOutcome(true, null, "native", [Row(4, 9.0, 0), Row(8, 1.0, 0), Row(4, 2.0, 1), Row(8, 7.0, 1)], null, "cosched bench"), DateTime.UtcNow, 1, machine);

        var run = new StudyResults(store).Native("allreduce", Configuration.Cosched)!;
        Assert.Equal(4, run.Measurements.Count);
        Assert.Equal([(4L, 2.0, 1), (8L, 1.0, 0)], run.Best.Select(m => (m.Bytes, m.Latency!.Value, m.Round)));
        Assert.Equal(1.0, StudyResults.LatencyAt(run, 8));
    }

    [Fact]
    public void CsvHasOneLinePerMeasurementAndOnePerFailure()
    {
        Add("allreduce", 0, "locality", (0, 0.3), (4, 0.4), (8, 0.5));
        AddFailed("cg", 2, "per-vm", "exit code 1: rank 1 died, said \"boom\", then left");
        var text = new StringWriter();
        CsvExport.Write(store, text);
        var lines = text.ToString().TrimEnd().Split('\n');
        Assert.Equal(1 + 3 + 1, lines.Length);
        Assert.StartsWith("run_id,experiment,mpi,workload,ranks,vms,pin,channels,vm_kind,status,error,round,bytes,", lines[0]);
        Assert.Contains(",allreduce,4,0,compact,locality,native,ok,,0,8,1000,,,0.45,0.55,0.5,", lines[3]);
        Assert.Contains(",failed,\"exit code 1: rank 1 died, said \"\"boom\"\", then left\",", lines[4]);
        Assert.EndsWith(",Test CPU,2,6.1.0,.NET 10,abc123,7.5", lines[4]);
    }
}
