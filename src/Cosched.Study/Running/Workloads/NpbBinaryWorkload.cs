using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>NPB's own programs (--npb DIR), built with Cosched's wrappers, under `cosched run`: a
/// kernel's run counts when NPB's own verification says SUCCESSFUL and it ran on the ranks and class
/// it was given. A multi-zone benchmark gets OMP_NUM_THREADS for its mix, and with several threads
/// its ranks are not bound to one core each (their threads share the cores of their VM, or of the host).</summary>
public sealed class NpbBinaryWorkload(IReadOnlyList<string> coschedCommand, IReadOnlyList<NpbBinary> binaries) : StudyWorkload
{
    public override bool Handles(Configuration configuration) =>
        configuration.Mpi == Configuration.Cosched && StudyWorkloads.IsNpb(configuration.Workload);

    /// <summary>The program of a configuration: its kernel's binary of its class that runs on its ranks.</summary>
    public string? PathOf(Configuration configuration) =>
        binaries.FirstOrDefault(b => b.Workload == configuration.Workload && b.Class == configuration.MsgLog && b.RunsOn(configuration.Ranks))?.Path;

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport)
    {
        var configuration = batch.Single();
        string program = PathOf(configuration) ?? throw new InvalidOperationException(Prepare(configuration));
        string[] job = [.. coschedCommand, "run", .. JobArguments(configuration, launchReport), .. configuration.Threads > 1 ? ["--bind-to", "none"] : Array.Empty<string>(), "--", program];
        // Through env(1), so that the stored command says how many threads each rank had.
        return configuration.Experiment == Experiment.MultiZone ? ["env", $"OMP_NUM_THREADS={Text(configuration.Threads)}", .. job] : job;
    }

    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeSpan.FromMinutes(30);

    public override string? Prepare(Configuration configuration) =>
        PathOf(configuration) is { } path && File.Exists(path) ? null
            : $"no {StudyWorkloads.NpbKernel(configuration.Workload)}.{configuration.MsgLog}.x (or .{configuration.Ranks}) among the NPB binaries given";

    public override string? Subcommand => "run";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
    {
        var configuration = batch.Single();
        var report = NpbReport.Parse(output);
        string kernel = StudyWorkloads.NpbKernel(configuration.Workload);
        string? problem = !report.Verified ? $"NPB's verification: {report.Verification}"
            : report.Class != configuration.MsgLog ? $"it ran class {report.Class}, not the {configuration.MsgLog} of its name"
            : report.Processes != configuration.Ranks ? $"it ran on {report.Processes} processes, not {configuration.Ranks}"
            : report.ActiveProcesses is { } active && active != report.Processes
                ? $"only {active} of its {report.Processes} processes worked ({StudyWorkloads.Title(configuration.Workload)} needs {NpbRules.Rule(kernel)})"
            : null;
        return [problem == null ? new RunOutcome(true, null, vmKind, [], report.ToApplication(), command)
            : RunOutcome.Failed($"NPB {StudyWorkloads.Title(configuration.Workload)} class {configuration.MsgLog}: {problem}", command, vmKind)];
    }
}
