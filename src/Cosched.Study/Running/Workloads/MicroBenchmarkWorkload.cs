using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>`cosched bench`: PingPong and the collectives. The collectives of one placement run in
/// one command, one after the other (as IMB-MPI1 runs several benchmarks in one job), so a round
/// launches the ranks and makes the VMs once per placement, not once per collective.</summary>
public sealed class MicroBenchmarkWorkload(IReadOnlyList<string> coschedCommand) : StudyWorkload
{
    public override bool Handles(Configuration configuration) =>
        configuration.Mpi == Configuration.Cosched && configuration.Experiment is Experiment.PointToPoint or Experiment.Collectives;

    public override string? BatchKey(Configuration configuration) =>
        configuration.Experiment == Experiment.Collectives
            ? $"bench/{PlacementKey(configuration)}" : null;

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport)
    {
        var first = batch[0];
        return [.. coschedCommand, "bench", .. batch.Select(c => c.Workload), "--msglog", first.MsgLog, "--time", Text(first.Seconds),
            .. JobArguments(first, launchReport), "--format", "json"];
    }

    /// <summary>Every message size may take its --time a few times over (estimate, warm-up, ranks
    /// sharing cores), plus start-up, VM set-up and the runtime's warm-up of each benchmark.</summary>
    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeoutOf(batch);

    /// <summary>The same for Intel MPI Benchmarks, whose -time means what --time does here.</summary>
    public static TimeSpan TimeoutOf(IReadOnlyList<Configuration> batch) =>
        TimeSpan.FromSeconds(60 + batch.Sum(c => 5 + Sizes(c.MsgLog) * c.Seconds * 5 * Math.Max(1, c.Ranks / Math.Max(1, System.Environment.ProcessorCount))));

    private static int Sizes(string msgLog) =>
        2 + (msgLog.Split(':') is [var a, var b] && int.TryParse(a, out int min) && int.TryParse(b, out int max) ? Math.Max(0, max - min) : 23);

    public override string? Subcommand => "bench";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
    {
        var reports = BenchJson.ParseBench(output);
        return [.. batch.Select(c => reports.TryGetValue(c.Workload, out var rows) && rows.Count > 0
            ? new RunOutcome(true, null, vmKind, rows, null, command)
            : RunOutcome.Failed($"the benchmark printed no rows for {c.Workload}", command, vmKind))];
    }
}
