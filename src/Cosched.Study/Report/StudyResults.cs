using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Report;

/// <summary>A study's database read for reporting: every configuration with its successful runs (the
/// independent rounds every figure is a median of), and the runs that failed.</summary>
public sealed class StudyResults
{
    public IReadOnlyList<MeasuredConfiguration> Measured { get; }
    /// <summary>Failed runs of configurations, newest per configuration and round, unless a later attempt of that round succeeded.</summary>
    public IReadOnlyList<StoredRun> Failed { get; }
    public IReadOnlyList<(long Id, MachineInfo Machine)> Machines { get; }
    public IReadOnlyList<Calibration> Calibrations { get; }

    public StudyResults(ResultsStore store)
    {
        var runs = store.Runs();
        Machines = store.Machines();
        Calibrations = store.Calibrations();
        // A round measured twice (a study resumed after a failure, or started over in the same database) counts once: its newest run.
        var newest = runs.GroupBy(r => (r.Configuration.Key, r.Round)).Select(g => g.Last()).ToList();
        Measured = [.. newest.Where(r => r.Ok).GroupBy(r => r.Configuration.Key).Select(g => new MeasuredConfiguration(g.First().Configuration, [.. g]))];
        Failed = [.. newest.Where(r => !r.Ok)];
    }

    /// <summary>The cores of the host the study ran on (the largest, if several machines contributed).</summary>
    public int Cores => Machines.Count == 0 ? Environment.ProcessorCount : Machines.Max(m => m.Machine.Cores);

    public IEnumerable<MeasuredConfiguration> Of(string experiment, string? workload = null, string? mpi = Configuration.Cosched) =>
        Measured.Where(r => r.Configuration.Experiment == experiment && (workload == null || r.Configuration.Workload == workload)
            && (mpi == null || r.Configuration.Mpi == mpi));

    /// <summary>Every configuration the study measured or tried: what the plan held, as far as the database knows.</summary>
    public IEnumerable<Configuration> Planned => Measured.Select(r => r.Configuration).Concat(Failed.Select(r => r.Configuration));

    /// <summary>One scenario of a workload, if measured. In one VM the channel policies coincide
    /// (shared memory between all ranks), so a 1-VM run of either policy serves both; with one VM or
    /// one rank per VM, compact and scatter place the ranks alike (the plan measures compact).</summary>
    /// <param name="size">the problem (an NPB binary's class), where a workload ran several; null: any.</param>
    /// <param name="threads">each rank's threads (NPB's multi-zone mixes).</param>
    public MeasuredConfiguration? Find(string workload, string mpi, int ranks, int vms, string pin, string channels, string? size = null, int threads = 1) =>
        Measured.LastOrDefault(r => r.Configuration.Workload == workload && r.Configuration.Mpi == mpi && r.Configuration.Ranks == ranks
            && r.Configuration.Vms == vms && (r.Configuration.Channels == channels || vms == 1) && (vms <= 1 || vms == ranks || r.Configuration.Pin == pin)
            && (size == null || r.Configuration.MsgLog == size) && r.Configuration.Threads == threads);

    /// <summary>Native (shared memory), the baseline every slowdown is measured against.</summary>
    public MeasuredConfiguration? Native(string workload, string mpi, int ranks) =>
        Measured.LastOrDefault(r => r.Configuration.Workload == workload && r.Configuration.Mpi == mpi && r.Configuration.Ranks == ranks
            && r.Configuration.Vms == 0 && r.Configuration.Channels != "network");

    /// <summary>What a collective's slowdowns are measured against: its native latencies (one per run)
    /// at the small message size of Table 1.</summary>
    public sealed record Baseline(long Size, IReadOnlyList<double> Latencies);

    public Baseline? NativeBaseline(string collective, string mpi, int ranks) =>
        Native(collective, mpi, ranks) is { } native && SmallSize(native) is var size && native.LatenciesAt(size) is { Count: > 0 } latencies
            ? new Baseline(size, latencies) : null;

    /// <summary>The rank counts the collectives ran at, smallest first.</summary>
    public IReadOnlyList<int> CollectiveRanks => [.. Of(Experiment.Collectives, mpi: null).Select(r => r.Configuration.Ranks).Distinct().Order()];

    /// <summary>The VM counts measured at <paramref name="ranks"/> ranks (all experiments but point-to-point when null), native first.</summary>
    public IReadOnlyList<int> VmCounts(string experiment, int? ranks = null) => [.. Measured.Where(r => r.Configuration.Experiment == experiment
        && (ranks == null || r.Configuration.Ranks == ranks)).Select(r => r.Configuration.Vms).Distinct().Order()];

    /// <summary>How the VMs were made: namespace (real network isolation) or process (an emulation).</summary>
    public IReadOnlyList<string> VmKinds => [.. Measured.Where(r => r.Configuration.Vms > 0).Select(r => r.VmKind).Distinct().Order()];

    /// <summary>How many runs the figures rest on: the fewest and the most of any configuration.</summary>
    public (int Fewest, int Most) Runs => Measured.Count == 0 ? (0, 0) : (Measured.Min(m => m.Runs.Count), Measured.Max(m => m.Runs.Count));

    /// <summary>"8 ranks on 2 cores (oversubscribed)", or "2 ranks" when every rank has a core.</summary>
    public string RanksOnCores(int ranks) => ranks > Cores ? $"{ranks} ranks on {Cores} cores (oversubscribed)" : ranks == 1 ? "1 rank" : $"{ranks} ranks";

    /// <summary>The "small message" size of the Table-1-style table: 8 bytes when measured (barrier has
    /// only size 0), else the smallest non-zero size.</summary>
    public static long SmallSize(MeasuredConfiguration configuration)
    {
        var sizes = configuration.Sizes;
        if (sizes.Count == 0) return 0;
        if (sizes.Contains(8)) return 8;
        var positive = sizes.Where(b => b > 0).ToList();
        return positive.Count > 0 ? positive.Min() : sizes.Min();
    }
}

/// <summary>One configuration with its successful runs: each a separate launch, so its figures
/// are medians over independent measurements.</summary>
public sealed class MeasuredConfiguration(Configuration configuration, IReadOnlyList<StoredRun> runs)
{
    public Configuration Configuration { get; } = configuration;
    public IReadOnlyList<StoredRun> Runs { get; } = runs;
    public string VmKind => Runs[^1].VmKind;

    /// <summary>The message sizes every run measured.</summary>
    public IReadOnlyList<long> Sizes { get; } = [.. runs.Select(r => r.Measurements.Select(m => m.Bytes)).Aggregate((a, b) => a.Intersect(b)).Order()];

    /// <summary>One value per run at <paramref name="bytes"/> (latency in µs, or bandwidth in MB/s).</summary>
    public IReadOnlyList<double> ValuesAt(long bytes, Func<Measurement, double?> value) =>
        [.. Runs.Select(r => r.Measurements.FirstOrDefault(m => m.Bytes == bytes) is { } m ? value(m) : null).OfType<double>()];

    public IReadOnlyList<double> LatenciesAt(long bytes) => ValuesAt(bytes, m => m.Latency);

    public Summary? LatencyAt(long bytes) => LatenciesAt(bytes) is { Count: > 0 } values ? Statistics.Summarize(values) : null;

    /// <summary>The run times of an application, one per run.</summary>
    public IReadOnlyList<double> Seconds => [.. Runs.Where(r => r.Application != null).Select(r => r.Application!.Seconds)];

    /// <summary>The problem of an application ("A", "64 queries").</summary>
    public string? ApplicationClass => Runs.FirstOrDefault(r => r.Application != null)?.Application!.Class;
}
