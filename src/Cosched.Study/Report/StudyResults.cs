using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Report;

/// <summary>A study's database read for reporting: the newest successful run of every configuration,
/// and the configurations whose every attempt failed.</summary>
public sealed class StudyResults
{
    public IReadOnlyList<StoredRun> Measured { get; }
    public IReadOnlyList<StoredRun> Failed { get; }
    public IReadOnlyList<(long Id, MachineInfo Machine)> Machines { get; }

    public StudyResults(ResultsStore store)
    {
        var runs = store.Runs();
        Machines = store.Machines();
        Measured = [.. runs.Where(r => r.Ok).GroupBy(r => r.Configuration.Key).Select(g => g.Last())];
        var measuredKeys = Measured.Select(r => r.Configuration.Key).ToHashSet();
        Failed = [.. runs.Where(r => !r.Ok && !measuredKeys.Contains(r.Configuration.Key)).GroupBy(r => r.Configuration.Key).Select(g => g.Last())];
    }

    public IEnumerable<StoredRun> Of(string experiment, string? workload = null, string? mpi = Configuration.Cosched) =>
        Measured.Where(r => r.Configuration.Experiment == experiment && (workload == null || r.Configuration.Workload == workload)
            && (mpi == null || r.Configuration.Mpi == mpi));

    /// <summary>The run of one scenario of a workload, if measured. In one VM the channel policies
    /// coincide (shared memory between all ranks), so a 1-VM run of either policy serves both.</summary>
    public StoredRun? Find(string workload, string mpi, int vms, string pin, string channels) =>
        Measured.LastOrDefault(r => r.Configuration.Workload == workload && r.Configuration.Mpi == mpi && r.Configuration.Vms == vms
            && (r.Configuration.Channels == channels || vms == 1) && (vms == 0 || r.Configuration.Pin == pin));

    /// <summary>Native, as the baseline every slowdown is measured against.</summary>
    public StoredRun? Native(string workload, string mpi) =>
        Measured.LastOrDefault(r => r.Configuration.Workload == workload && r.Configuration.Mpi == mpi && r.Configuration.Vms == 0
            && r.Configuration.Channels != "network");

    /// <summary>The "small message" size of the Table-1-style table: 8 bytes when measured (barrier has
    /// only size 0), else the smallest non-zero size.</summary>
    public static long SmallSize(StoredRun run)
    {
        var sizes = run.Best.Select(m => m.Bytes).ToList();
        if (sizes.Count == 0) return 0;
        if (sizes.Contains(8)) return 8;
        var positive = sizes.Where(b => b > 0).ToList();
        return positive.Count > 0 ? positive.Min() : sizes.Min();
    }

    public static double? LatencyAt(StoredRun? run, long bytes) =>
        run?.Best.FirstOrDefault(m => m.Bytes == bytes)?.Latency;

    /// <summary>The VM counts measured by Cosched, native (0) first.</summary>
    public IReadOnlyList<int> VmCounts => [.. Measured.Where(r => r.Configuration.Experiment != Experiment.PointToPoint)
        .Select(r => r.Configuration.Vms).Distinct().Order()];

    /// <summary>How the VMs were made: namespace (real network isolation) or process (an emulation).</summary>
    public IReadOnlyList<string> VmKinds => [.. Measured.Where(r => r.Configuration.Vms > 0).Select(r => r.VmKind).Distinct().Order()];
}
