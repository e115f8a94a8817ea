using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>`cosched bench pingpong --timeseries` with two VMs on two simulated hosts: VM 0 on host 0,
/// VM 1 on host 1; a third of the way through VM 1 moves to host 0 (consolidated), at two thirds back
/// to host 1 (spread again). The output is every latency window with its channel and each move's phases.</summary>
public sealed class MigrationWorkload(IReadOnlyList<string> coschedCommand) : StudyWorkload
{
    /// <summary>The moves every run makes: consolidate, then spread.</summary>
    public const int Moves = 2;

    public override bool Handles(Configuration configuration) =>
        configuration.Mpi == Configuration.Cosched && configuration.Experiment == Experiment.Migration;

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport)
    {
        var configuration = batch.Single();
        double seconds = configuration.Seconds;
        string schedule = $"{Text(Math.Round(seconds / 3, 3))}:1:0,{Text(Math.Round(2 * seconds / 3, 3))}:1:1";
        return [.. coschedCommand, "bench", "pingpong", "--timeseries", "--time", Text(seconds), "--size", configuration.MsgLog,
            .. JobArguments(configuration, launchReport), "--hosts", "2", "--vm-hosts", "0,1", "--migrate", schedule, "--format", "json"];
    }

    /// <summary>The PingPong's seconds a few times over, plus start-up and the VMs' set-up.</summary>
    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeSpan.FromSeconds(60 + 5 * batch.Single().Seconds);

    public override string? Subcommand => "bench";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
    {
        var series = BenchJson.ParseTimeSeries(output);
        string? problem = series.Windows.Count == 0 ? "the time series has no windows"
            : series.Moves.Count != Moves ? $"the run recorded {series.Moves.Count} of its {Moves} moves"
            : null;
        return [problem != null ? RunOutcome.Failed($"migration: {problem}", command, vmKind)
            : new RunOutcome(true, null, vmKind, [], null, command, TimeSeries: series)];
    }
}
