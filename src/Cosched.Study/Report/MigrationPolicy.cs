using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Store;

namespace Cosched.Study.Report;

/// <summary>The migration experiment's runs with one channel policy, cut into phases: what its table
/// row, its findings and its plot are computed from.</summary>
public sealed class MigrationPolicy
{
    public MeasuredConfiguration Configuration { get; }
    public string Channels => Configuration.Configuration.Channels;

    /// <summary>Every run that recorded its time series, with its phases, in round order.</summary>
    public IReadOnlyList<(StoredRun Run, MigrationTimeSeries Series, MigrationPhases Phases)> Runs { get; }

    public MigrationPolicy(MeasuredConfiguration configuration)
    {
        Configuration = configuration;
        Runs = [.. configuration.Runs.Where(r => r.TimeSeries != null).OrderBy(r => r.Round).Select(r => (r, r.TimeSeries!, MigrationPhases.Of(r.TimeSeries!)))];
    }

    /// <summary>Each measured policy, per-vm first (the paper's setting, then its cure).</summary>
    public static IReadOnlyList<MigrationPolicy> In(StudyResults results) =>
        [.. results.Of(Experiment.Migration).OrderByDescending(c => c.Configuration.Channels == "per-vm").Select(c => new MigrationPolicy(c)).Where(p => p.Runs.Count > 0)];

    /// <summary>One value per run: its median latency in the phase (runs without a window there left out).</summary>
    public IReadOnlyList<double> Latencies(Func<MigrationPhases, MigrationPhase> phase) =>
        [.. Runs.Select(r => phase(r.Phases).MedianUsec).OfType<double>()];

    /// <summary>One list per phase (before, consolidated, after), each one value per run.</summary>
    public IEnumerable<IReadOnlyList<double>> PhaseLatencies => MigrationPhases.Each.Select(p => Latencies(p.Of));

    /// <summary>The channel of the phase in most runs.</summary>
    public string Channel(Func<MigrationPhases, MigrationPhase> phase) =>
        Runs.Select(r => phase(r.Phases).Channel).Where(c => c.Length > 0).GroupBy(c => c).MaxBy(g => g.Count())?.Key ?? "";

    /// <summary>One phase's time (ms) over the runs' moves: the <paramref name="move"/>-th of every run, or all moves when null.</summary>
    public IReadOnlyList<double> MoveTimes(Func<MoveTimes, double> phase, int? move = null) =>
        [.. Runs.SelectMany(r => r.Series.Moves).Where(m => move == null || m.Move == move).Select(phase)];

    /// <summary>The run the plot shows: the one whose consolidated latency is the median of the runs'
    /// (the lower middle one of an even count).</summary>
    public (StoredRun Run, MigrationTimeSeries Series, MigrationPhases Phases) Representative
    {
        get
        {
            var ordered = Runs.Where(r => r.Phases.Consolidated.MedianUsec != null).OrderBy(r => r.Phases.Consolidated.MedianUsec).ToList();
            return ordered.Count > 0 ? ordered[(ordered.Count - 1) / 2] : Runs[0];
        }
    }
}
