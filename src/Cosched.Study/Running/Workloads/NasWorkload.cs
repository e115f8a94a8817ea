using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>`cosched npb KERNEL --class C`: a NAS kernel, which counts only when it verified.</summary>
public sealed class NasWorkload(IReadOnlyList<string> coschedCommand) : StudyWorkload
{
    public override bool Handles(Configuration configuration) =>
        configuration.Mpi == Configuration.Cosched && StudyWorkloads.NasKernels.Contains(configuration.Workload);

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport)
    {
        var configuration = batch.Single();
        return [.. coschedCommand, "npb", configuration.Workload, "--class", configuration.MsgLog, .. JobArguments(configuration, launchReport), "--format", "json"];
    }

    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeSpan.FromMinutes(30);

    public override string? Subcommand => "npb";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
    {
        var configuration = batch.Single();
        var application = BenchJson.ParseNpb(output);
        return [application.Verified
            ? new RunOutcome(true, null, vmKind, [], application, command)
            : RunOutcome.Failed($"{configuration.Workload} class {application.Class}: verification failed", command, vmKind)];
    }
}
