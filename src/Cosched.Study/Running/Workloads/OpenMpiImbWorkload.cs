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
        // IMB gives up ("time-out") once its sizes together took longer than -time times their number,
        // which a busy host reaches with a -time of a few hundredths; half a second keeps that rare
        // without letting one slow size run for IMB's default 10 s.
        string[] imb = [imbPath ?? "IMB-MPI1", "-npmin", n, "-msglog", configuration.MsgLog,
            "-time", Text(Math.Max(0.5, configuration.Seconds)), "-mem", "1", StudyWorkloads.ImbName(configuration.Workload)];
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

    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => new MicroBenchmarkWorkload(coschedCommand).Timeout(batch);

    public override string? Prepare(Configuration configuration) =>
        configuration.Vms == 0 && HostSupport.FindTool("mpirun") == null ? "mpirun not found: install Open MPI (apt-get install openmpi-bin)" : null;

    public override string? Subcommand => "mpirun";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
    {
        var rows = ImbOutput.Parse(output, StudyWorkloads.ImbName(batch.Single().Workload));
        return [rows.Count == 0
            ? RunOutcome.Failed(output.Contains("time-out", StringComparison.Ordinal)
                ? "Intel MPI Benchmarks timed out (a size took longer than its -time)" : "Intel MPI Benchmarks printed no result table", command, vmKind)
            : new RunOutcome(true, null, vmKind, rows, null, command)];
    }
}
