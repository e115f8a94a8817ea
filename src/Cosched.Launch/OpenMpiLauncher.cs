using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Cosched.Domains;
using Cosched.Messaging;

namespace Cosched.Launch;

/// <summary>What `cosched mpirun` asks: a foreign MPI program (Open MPI) on N ranks, natively or
/// inside K of Cosched's VMs, placed as Cosched places its own ranks.</summary>
public sealed record OpenMpiOptions(int Ranks, IReadOnlyList<string> Command)
{
    public int Vms { get; init; }
    public PinPolicy Pin { get; init; } = PinPolicy.Compact;
    public VmKind VmKind { get; init; } = VmKind.Auto;
    /// <summary>per-vm: Open MPI's shared memory (vader) inside a VM, tcp between VMs; network: tcp only.
    /// Open MPI cannot use Cosched's host segment, so locality is not offered.</summary>
    public ChannelPolicy Policy { get; init; } = ChannelPolicy.PerVm;
    public bool ReportBindings { get; init; }
    /// <summary>Where to write the job's <see cref="LaunchReport"/> before mpirun starts (null: nowhere).</summary>
    public string? LaunchReportPath { get; init; }
    /// <summary>Arguments passed to mpirun before the program (e.g. --mca settings).</summary>
    public IReadOnlyList<string> MpirunArguments { get; init; } = [];
}

/// <summary>Hosts an Open MPI job in Cosched's VMs: makes the VMs, writes a hostfile of their
/// addresses and a rankfile with Cosched's placement, and runs Debian's mpirun inside VM 0 with a
/// launch agent (Open MPI's rsh agent) that starts its daemons inside the other VMs. Open MPI then
/// sees K hosts and uses vader inside a VM and tcp over the VM network between VMs, as Intel MPI did
/// in the paper's VMs. The VMs and every process in them are removed when mpirun ends, on Ctrl-C and
/// on SIGTERM.</summary>
public static class OpenMpiLauncher
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

    /// <summary>Runs the job; returns mpirun's exit code, or 128+signal when interrupted.</summary>
    public static int Run(OpenMpiOptions options)
    {
        var mpirun = HostSupport.FindTool("mpirun")
            ?? throw new DomainException("Open MPI's mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)");
        if (options.Policy == ChannelPolicy.Locality && options.Vms > 0)
            throw new ArgumentException("Open MPI cannot use Cosched's host segment between VMs: use --channels per-vm or network");
        if (options.Vms > 0 && VmKinds.Resolve(options.VmKind) != VmKind.Namespace)
            throw new ArgumentException("cosched mpirun --vms needs the namespace provider (root): Open MPI must see each VM as a host of its own");

        var id = JobIdentity.NewId();
        var runDirectory = Path.Combine(Path.GetTempPath(), $"cosched-{id}");
        Directory.CreateDirectory(runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        VirtualMachines? vms = null;
        try
        {
            var cores = CoreBinding.AllowedCores();
            var placement = Placement.Compute(options.Ranks, options.Vms, options.Pin, cores);
            bool fits = options.Ranks <= cores.Length;
            var arguments = new List<string> { mpirun, "-np", options.Ranks.ToString() };
            arguments.AddRange(["--mca", "btl", options.Policy == ChannelPolicy.Network ? "tcp,self" : "vader,tcp,self"]);
            if (options.Vms == 0)
            {
                arguments.AddRange(fits ? ["--bind-to", "core"] : ["--bind-to", "none", "--oversubscribe"]);
            }
            else
            {
                vms = VirtualMachines.Create(options.VmKind, id, options.Vms, hostSegmentOfVm: null, Environment.ProcessId, placement.CoresOfVm);
                Console.Error.WriteLine($"cosched: job {id}: Open MPI in {vms.Describe()}");
                if (vms.Warning is { } warning) Console.Error.WriteLine($"cosched: warning: {warning}");
                arguments.AddRange(VmArguments(vms, placement, runDirectory, fits));
            }
            if (options.ReportBindings)
            {
                arguments.Add("--report-bindings");
                for (int r = 0; r < options.Ranks; r++)
                    Console.Error.WriteLine($"cosched: rank {r} -> {(options.Vms > 0 ? $"vm {placement.VmOfRank[r]}" : "host")} -> core {placement.CoreOfRank[r]} (Open MPI)");
            }
            // Open MPI binds each rank to its core exactly when the ranks fit (--bind-to core or the rankfile).
            if (options.LaunchReportPath is { } report)
                LaunchReport.Of("openmpi", id, placement, vms, options.Pin, options.Policy, cores.Length, bound: fits).Write(report);
            arguments.AddRange(options.MpirunArguments);
            arguments.AddRange(options.Command);
            return Supervise(vms != null ? vms.Wrap(0, arguments) : arguments, vms);
        }
        finally
        {
            vms?.Dispose(); // also kills whatever Open MPI left in the VMs
            try { Directory.Delete(runDirectory, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The hostfile, rankfile and launch agent that make Open MPI treat each VM as a host.</summary>
    private static List<string> VmArguments(VirtualMachines vms, Placement placement, string runDirectory, bool fits)
    {
        var address = Enumerable.Range(0, vms.Count).Select(vms.BindAddress).ToArray();
        var hostfile = Path.Combine(runDirectory, "hostfile");
        File.WriteAllLines(hostfile, Enumerable.Range(0, vms.Count).Select(vm => $"{address[vm]} slots={placement.RanksOf(vm).Count()}"));

        // Open MPI calls the agent as "AGENT HOST COMMAND...": find the VM by its address and run
        // the daemon inside it, in the VM's cgroup (its cpuset). The agent runs inside VM 0, where
        // `ip netns exec` mounted a sysfs without cgroups: it reaches the host's cgroup tree through
        // the launcher's root, /proc/LAUNCHER/root.
        var agent = new StringBuilder("#!/bin/sh\n# Open MPI launch agent of Cosched job " + vms.Job + "\nhost=$1; shift\ncase \"$host\" in\n");
        for (int vm = 0; vm < vms.Count; vm++)
        {
            var cgroup = vms.CgroupDirectory(vm);
            agent.Append($"  {address[vm]})\n");
            if (cgroup != null) agent.Append($"    echo $$ > {Quote($"/proc/{Environment.ProcessId}/root{cgroup}/cgroup.procs")}\n");
            agent.Append($"    exec {string.Join(' ', vms.Wrap(vm, ["/bin/sh", "-c"]).Select(Quote))} \"$*\" ;;\n");
        }
        agent.Append("  *) echo \"cosched: no VM of job " + vms.Job + " has the address $host\" >&2; exit 1 ;;\nesac\n");
        var agentPath = Path.Combine(runDirectory, "agent");
        File.WriteAllText(agentPath, agent.ToString());
        File.SetUnixFileMode(agentPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var subnet = address[0][..(address[0].LastIndexOf('.') + 1)] + "0/24";
        var arguments = new List<string>
        {
            "--hostfile", hostfile,
            "--mca", "plm_rsh_agent", agentPath,
            "--mca", "plm_rsh_no_tree_spawn", "1",
            "--mca", "oob_tcp_if_include", subnet,
            "--mca", "btl_tcp_if_include", subnet,
        };
        if (fits)
        {
            // One rank per core: the rankfile gives each rank Cosched's core, by OS core number.
            var rankfile = Path.Combine(runDirectory, "rankfile");
            File.WriteAllLines(rankfile, Enumerable.Range(0, placement.Ranks)
                .Select(r => $"rank {r}={address[placement.VmOfRank[r]]} slot={placement.CoreOfRank[r]}"));
            arguments.AddRange(["--rankfile", rankfile, "--mca", "rmaps_rank_file_physical", "1"]);
        }
        else
        {
            // Oversubscribed: Cosched's ranks run unbound on their VM's cores (the cpuset), so do Open
            // MPI's. Each VM looks to Open MPI like a host with a slot per rank, so it would not notice
            // that the cores are shared and would poll without yielding: tell it.
            arguments.AddRange(["--map-by", IsScatter(placement) ? "node" : "slot", "--bind-to", "none", "--oversubscribe",
                "--mca", "mpi_yield_when_idle", "1"]);
        }
        return arguments;
    }

    private static bool IsScatter(Placement placement) =>
        placement.Ranks > 1 && placement.VmOfRank[1] != placement.VmOfRank[0];

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    private static int Supervise(IReadOnlyList<string> command, VirtualMachines? vms)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1)) info.ArgumentList.Add(argument);
        if (HostSupport.IsRoot)
        {
            info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
        int interruptedBy = 0;
        using var mpirun = Process.Start(info)!;
        vms?.Adopt(0, mpirun.Id);
        var registrations = Signals.Ending.Select(signal => PosixSignalRegistration.Create(signal, Stop)).ToList();
        mpirun.WaitForExit();
        foreach (var registration in registrations) registration.Dispose();
        if (interruptedBy != 0)
        {
            Console.Error.WriteLine($"cosched: {Signals.Name(interruptedBy)} received; the Open MPI job was ended");
            return 128 + interruptedBy;
        }
        return mpirun.ExitCode;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            interruptedBy = Signals.Number(context.Signal);
            // mpirun ends its daemons and ranks on SIGTERM; what still runs after the grace period is killed.
            Signals.Kill(mpirun.Id, Signals.SIGTERM);
            if (!mpirun.WaitForExit(GracePeriod))
            {
                try { mpirun.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }
            }
        }
    }
}
