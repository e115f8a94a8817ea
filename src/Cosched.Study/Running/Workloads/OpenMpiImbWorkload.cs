using Cosched.Domains;
using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>The Open MPI peer: Intel MPI Benchmarks under Debian's mpirun natively (vader, or tcp for
/// the network policy), and across VMs through `cosched mpirun` (vader inside a VM, tcp between).</summary>
public sealed class OpenMpiImbWorkload(IReadOnlyList<string> coschedCommand, string? imbPath) : StudyWorkload
{
    public override bool Handles(Configuration configuration) => configuration.Mpi == Configuration.OpenMpi;

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport)
    {
        var configuration = batch.Single();
        string n = Text(configuration.Ranks);
        var imb = ImbInvocation.Arguments(imbPath ?? "IMB-MPI1", batch);
        if (configuration.Vms > 0)
            return [.. coschedCommand, "mpirun", "-n", n, "--vms", Text(configuration.Vms), "--pin", configuration.Pin,
                "--channels", "per-vm", "--launch-report", launchReport, "--", .. imb];
        var command = new List<string> { HostSupport.FindTool("mpirun") ?? "mpirun", "-np", n };
        // Binding to cores fails when there are more ranks than cores; Open MPI then has to oversubscribe.
        command.AddRange(configuration.Ranks <= System.Environment.ProcessorCount ? ["--bind-to", "core"] : ["--oversubscribe", "--bind-to", "none"]);
        if (configuration.Channels == "network") command.AddRange(["--mca", "btl", "tcp,self"]);
        return [.. command, .. imb];
    }

    public override IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["OMPI_ALLOW_RUN_AS_ROOT"] = "1",
        ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1",
    };

    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => MicroBenchmarkWorkload.TimeoutOf(batch);

    public override string? Prepare(Configuration configuration) =>
        configuration.Vms == 0 && HostSupport.FindTool("mpirun") == null ? "mpirun not found: install Open MPI (apt-get install openmpi-bin)" : null;

    public override string? Subcommand => "mpirun";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind) =>
        ImbInvocation.Read(batch, output, command, vmKind);
}
