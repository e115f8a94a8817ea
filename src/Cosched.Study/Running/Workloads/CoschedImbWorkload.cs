using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>Intel MPI Benchmarks built with `cosched mpicc` (the C API of Cosched's MPI library),
/// under `cosched run` in the very placements of Cosched's own `cosched bench`: the same runtime
/// under someone else's benchmark code. The collectives of one placement run in one job, as there.</summary>
public sealed class CoschedImbWorkload(IReadOnlyList<string> coschedCommand, string? imbPath) : StudyWorkload
{
    public override bool Handles(Configuration configuration) => configuration.Mpi == Configuration.CoschedImb;

    public override string? BatchKey(Configuration configuration) =>
        configuration.Experiment == Experiment.Collectives ? $"imb-cosched/{PlacementKey(configuration)}" : null;

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport) =>
        [.. coschedCommand, "run", .. JobArguments(batch[0], launchReport), "--", .. ImbInvocation.Arguments(imbPath ?? "IMB-MPI1", batch)];

    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => MicroBenchmarkWorkload.TimeoutOf(batch);

    public override string? Prepare(Configuration configuration) =>
        imbPath == null || !File.Exists(imbPath) ? $"no IMB-MPI1 built with cosched mpicc at '{imbPath}'" : null;

    public override string? Subcommand => "run";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind) =>
        ImbInvocation.Read(batch, output, command, vmKind);
}
