using System.CommandLine;
using Cosched.Domains;
using Cosched.Launch;
using Cosched.Messaging;

namespace Cosched.Cli.Commands;

/// <summary>Options shared by every command that starts a job, with their checks.</summary>
public static class CommonOptions
{
    /// <summary>-n: required, except in a rank program that srun or mpirun started (their -n counts).</summary>
    public static Option<int> Ranks(bool rankProgram) => new("--ranks", "-n")
    {
        Description = rankProgram ? "number of ranks (under srun or mpirun: theirs; leave it out)" : "number of ranks",
        Required = !(rankProgram && Environment.GetEnvironmentVariable("PMIX_NAMESPACE") != null),
    };

    public static Option<string> Channels() => new("--channels")
    {
        Description = "which transport serves which peer: locality (default), per-vm or network",
        DefaultValueFactory = _ => "locality",
    };

    public static Option<int> Vms() => new("--vms")
    {
        Description = "split the ranks over K virtual machines on this host (0, the default: run natively)",
        HelpName = "K",
        DefaultValueFactory = _ => 0,
    };

    public static Option<string> Pin() => new("--pin")
    {
        Description = "how ranks are dealt over VMs: compact (default: ranks 0..n/K-1 in the first VM) or scatter (round-robin)",
        DefaultValueFactory = _ => "compact",
    };

    public static Option<string> VmKind() => new("--vm-kind")
    {
        Description = "VM provider: auto (default: namespace as root, else process), namespace, qemu (QEMU guests, root) or process (an emulation)",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<int> VmMemory() => new("--vm-memory")
    {
        Description = "memory of each QEMU guest in MiB (default: 512 MiB per core of the VM)",
        HelpName = "MIB",
    };

    public static Option<int> Hosts() => new("--hosts")
    {
        Description = "split this machine's cores into H simulated hosts, each with its own host segment (default 1)",
        HelpName = "H",
        DefaultValueFactory = _ => 1,
    };

    public static Option<string> VmHosts() => new("--vm-hosts")
    {
        Description = "the host each VM starts on, e.g. 0,0,1,1 (default: VMs dealt over the hosts round-robin)",
        HelpName = "H,H,...",
    };

    public static Option<string> Migrate() => new("--migrate")
    {
        Description = "move VMs while the job runs: AT:VM:HOST[,...] (AT seconds after the ranks start, or after a benchmark's timed phase starts) or rotate:SECONDS (from the ranks' start, one VM after another to the next host, until the job ends)",
        HelpName = "SCHEDULE",
    };

    public static Option<bool> ReportBindings() => new("--report-bindings")
    {
        Description = "print each rank's VM and core, and the transport each rank chose per peer",
    };

    public static Option<string> LaunchReport() => new("--launch-report")
    {
        Description = "write the job's provider and placement to FILE as one line of JSON before the ranks start",
        HelpName = "FILE",
    };

    /// <summary>The VM options and the reports on them in one bundle, checked.</summary>
    public sealed record VmChoice(int Vms, PinPolicy Pin, VmKind Kind, bool ReportBindings, string? LaunchReportPath)
    {
        public int Hosts { get; init; } = 1;
        public IReadOnlyList<int>? VmHosts { get; init; }
        public MoveSchedule? Migrate { get; init; }
        public int MemoryMiB { get; init; }

        public LaunchOptions ApplyTo(LaunchOptions options) =>
            options with
            {
                Vms = Vms, Pin = Pin, VmKind = Kind, ReportBindings = ReportBindings, LaunchReportPath = LaunchReportPath,
                Hosts = Hosts, VmHosts = VmHosts, Migrate = Migrate, VmMemoryMiB = MemoryMiB,
            };
    }

    /// <summary>--hosts, --vm-hosts and --migrate, checked against the job's VMs.</summary>
    public static VmChoice CheckHosts(VmChoice choice, int ranks, int hosts, string? vmHosts, string? migrate)
    {
        IReadOnlyList<int>? where = null;
        if (vmHosts != null)
        {
            var parts = vmHosts.Split(',', StringSplitOptions.TrimEntries);
            var parsed = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!int.TryParse(parts[i], out parsed[i])) throw new UsageException($"--vm-hosts wants host numbers separated by commas (got '{vmHosts}')");
            where = parsed;
        }
        if (Placement.Validate(ranks, choice.Vms, hosts, where) is { } problem) throw new UsageException(problem);
        MoveSchedule? schedule = null;
        if (migrate != null)
        {
            try { schedule = MoveSchedule.Parse(migrate); }
            catch (FormatException e) { throw new UsageException(e.Message); }
            if (schedule.Validate(choice.Vms, hosts) is { } bad) throw new UsageException(bad);
        }
        return choice with { Hosts = hosts, VmHosts = where, Migrate = schedule };
    }

    public static VmChoice CheckVms(int ranks, int vms, string? pin, string? kind, bool reportBindings, string? launchReport, int memoryMiB = 0)
    {
        if (Placement.Validate(ranks, vms) is { } problem) throw new UsageException(problem);
        if (!PinPolicies.TryParse(pin, out var pinPolicy))
            throw new UsageException($"unknown --pin '{pin}' (expected one of: {string.Join(", ", PinPolicies.Names)})");
        if (!VmKinds.TryParse(kind, out var vmKind))
            throw new UsageException($"unknown --vm-kind '{kind}' (expected one of: {string.Join(", ", VmKinds.Names)})");
        if (vmKind == Domains.VmKind.Namespace && !HostSupport.IsRoot)
            throw new UsageException("--vm-kind namespace needs root (use --vm-kind process for an emulation)");
        if (vmKind == Domains.VmKind.Qemu && vms > 0 && Environment.GetEnvironmentVariable(JobSettings.RankVariable) == null)
        {
            if (!HostSupport.IsRoot) throw new UsageException("--vm-kind qemu needs root (a tap per guest on the job's bridge)");
            if (Domains.Qemu.QemuHost.Missing() is { } missing) throw new UsageException(missing);
        }
        if (memoryMiB != 0 && (memoryMiB < 128 || memoryMiB > 1 << 20))
            throw new UsageException($"--vm-memory must be between 128 and 1048576 MiB (got {memoryMiB})");
        if (memoryMiB != 0 && vmKind != Domains.VmKind.Qemu)
            throw new UsageException("--vm-memory sizes QEMU guests: it needs --vm-kind qemu");
        return new VmChoice(vms, pinPolicy, vmKind, reportBindings, CheckLaunchReport(launchReport)) { MemoryMiB = memoryMiB };
    }

    /// <summary>The report's file, once the launcher's own way of writing it (FILE.partial, then a
    /// rename) worked here; a file that cannot be written is a usage error before any rank starts.</summary>
    public static string? CheckLaunchReport(string? file)
    {
        // The ranks of bench, npb and blast parse their launcher's command line again; only the
        // launcher writes the report, and a rank in a VM may not see the report's directory.
        if (file == null || Environment.GetEnvironmentVariable(JobSettings.RankVariable) != null) return file;
        string? reason = Directory.Exists(file) || Path.GetFileName(file).Length == 0 ? "it names a directory, not a file" : null;
        if (reason == null)
        {
            try
            {
                File.Open(file + ".partial", FileMode.Create, FileAccess.Write).Dispose();
                File.Delete(file + ".partial");
            }
            catch (DirectoryNotFoundException) { reason = "its directory does not exist"; }
            catch (UnauthorizedAccessException) { reason = "permission denied"; }
            catch (IOException e) { reason = e.Message; }
        }
        return reason == null ? Path.GetFullPath(file) : throw new UsageException($"--launch-report: cannot write '{file}': {reason}");
    }

    public static int CheckRanks(int ranks) =>
        ranks is >= 1 and <= 4096 ? ranks : throw new UsageException($"-n must be between 1 and 4096 ranks (got {ranks})");

    public static ChannelPolicy CheckChannels(string? text) =>
        ChannelPolicies.TryParse(text, out var policy) ? policy
            : throw new UsageException($"unknown channel policy '{text}' (expected one of: {string.Join(", ", ChannelPolicies.Names)})");
}

/// <summary>The options of every command that starts a job (-n, --channels, the VM options and the reports),
/// declared and checked in one place.</summary>
/// <param name="withHosts">Whether the command offers --hosts, --vm-hosts and --migrate (Cosched's own launcher).</param>
/// <param name="rankProgram">Whether the command's ranks run the command itself (bench, npb, blast
/// search): srun and mpirun can then start those ranks directly (<see cref="InsideJob"/>).</param>
public sealed class JobOptions(Option<string>? channels = null, bool withHosts = true, bool rankProgram = false)
{
    public Option<int> Ranks { get; } = CommonOptions.Ranks(rankProgram);
    public Option<string> Channels { get; } = channels ?? CommonOptions.Channels();
    public Option<int> Vms { get; } = CommonOptions.Vms();
    public Option<string> Pin { get; } = CommonOptions.Pin();
    public Option<string> VmKind { get; } = CommonOptions.VmKind();
    public Option<int> VmMemory { get; } = CommonOptions.VmMemory();
    public Option<bool> ReportBindings { get; } = CommonOptions.ReportBindings();
    public Option<string> LaunchReport { get; } = CommonOptions.LaunchReport();
    public Option<int> Hosts { get; } = CommonOptions.Hosts();
    public Option<string> VmHosts { get; } = CommonOptions.VmHosts();
    public Option<string> Migrate { get; } = CommonOptions.Migrate();

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Ranks, Channels, Vms, Pin, VmKind, VmMemory, ReportBindings, LaunchReport }) command.Options.Add(option);
        if (withHosts)
            foreach (Option option in new Option[] { Hosts, VmHosts, Migrate }) command.Options.Add(option);
    }

    /// <summary>Whether this process is a rank of a running job (started by Cosched's launcher, srun or
    /// mpirun), which runs the command's work, rather than the user's command, which launches the job.</summary>
    public bool InsideJob => rankProgram && BootstrapChoice.FromEnvironment() != BootstrapKind.Alone;

    /// <summary>Whether the user's command already checked the input before it launched this rank
    /// (Cosched's launcher); under srun or mpirun the ranks check it themselves, and rank 0 says what is wrong.</summary>
    public bool InputChecked => rankProgram && BootstrapChoice.FromEnvironment() == BootstrapKind.Launcher;

    /// <summary>The rank count, channel policy and VM choice, checked (UsageException otherwise).</summary>
    public (int Ranks, ChannelPolicy Policy, CommonOptions.VmChoice Vm) Check(ParseResult result)
    {
        if (rankProgram && BootstrapChoice.FromEnvironment() == BootstrapKind.Pmix) return CheckUnderPmix(result);
        int n = CommonOptions.CheckRanks(result.GetValue(Ranks));
        var policy = CommonOptions.CheckChannels(result.GetValue(Channels));
        var vm = CommonOptions.CheckVms(n, result.GetValue(Vms), result.GetValue(Pin), result.GetValue(VmKind), result.GetValue(ReportBindings),
            result.GetValue(LaunchReport), result.GetValue(VmMemory));
        if (withHosts) vm = CommonOptions.CheckHosts(vm, n, result.GetValue(Hosts), result.GetValue(VmHosts), result.GetValue(Migrate));
        return (n, policy, vm);
    }

    /// <summary>A rank that srun or mpirun started: it runs natively where they put it, with as many
    /// ranks as they started; --channels and --report-bindings reach the runtime as the launcher's would.</summary>
    private (int Ranks, ChannelPolicy Policy, CommonOptions.VmChoice Vm) CheckUnderPmix(ParseResult result)
    {
        var policy = CommonOptions.CheckChannels(result.GetValue(Channels));
        foreach (Option option in new Option[] { Vms, Hosts, VmHosts, Migrate, LaunchReport, Pin, VmKind, VmMemory })
            if (result.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} needs Cosched's own launcher; under srun or mpirun the ranks run natively on the nodes they were given");
        if (result.GetResult(Channels) is { Implicit: false }) Environment.SetEnvironmentVariable(JobSettings.ChannelsVariable, policy.Name());
        bool report = result.GetValue(ReportBindings);
        if (report) Environment.SetEnvironmentVariable(JobSettings.ReportBindingsVariable, "1");
        int n = Communicator.World.Size;
        if (result.GetResult(Ranks) is { Implicit: false } && result.GetValue(Ranks) != n)
            throw new UsageException($"-n {result.GetValue(Ranks)} does not match the {n} ranks srun or mpirun started (leave -n out)");
        return (n, policy, new CommonOptions.VmChoice(0, PinPolicy.Compact, Domains.VmKind.Auto, report, null));
    }
}
