using System.Diagnostics;

namespace Cosched.Domains;

/// <summary>The `namespace` provider (root): each VM is a network, UTS, IPC and mount namespace
/// with its own hostname, a private tmpfs /dev/shm, a veth link to the job's bridge, an address in
/// a /24 of 10.213.0.0/16 reserved for the job, and a cpuset cgroup where the host has one.</summary>
/// <remarks>Each VM is held open by a small holder process (tail --pid=LAUNCHER, so it ends with
/// the launcher even after SIGKILL); ranks enter the holder's namespaces with nsenter. The host
/// segment (the ivshmem analogue) of a VM's host is bind-mounted, in the host's mount namespace, on
/// a file in a directory of its own that is a shared mount; each VM's mount namespace is a slave
/// copy, so when a move mounts the destination's segment there the VM sees it, and only then (the
/// private /dev/shm of the VM hides the host's).</remarks>
internal sealed class NamespaceMachines : VirtualMachines
{
    /// <summary>Every name Cosched gives to a host resource starts with one of these.</summary>
    public const string NetnsPrefix = "cosched-", LinkPrefix = "csd";

    public static string RunRoot => "/run/cosched";

    private readonly Process?[] _holders;
    private readonly string?[] _cgroups;
    private readonly string?[] _hostSegmentOfVm;
    private int _subnet = -1;
    private bool _disposed;

    private NamespaceMachines(string job, int count, string?[] hostSegmentOfVm) : base(job, count)
    {
        _holders = new Process?[count];
        _cgroups = new string?[count];
        _hostSegmentOfVm = hostSegmentOfVm;
    }

    public override VmKind Kind => VmKind.Namespace;
    public override bool IsEmulation => false;
    public string JobDirectory => Path.Combine(RunRoot, Job);
    public string Bridge => $"{LinkPrefix}{Job}";
    public static string NetnsName(string job, int vm) => $"{NetnsPrefix}{job}-vm{vm}";
    public string Hostname(int vm) => $"cosched-{Job}-vm{vm}";
    private string HostLink(int vm) => $"{LinkPrefix}{Job}v{vm}";
    private string PeerLink(int vm) => $"{LinkPrefix}{Job}p{vm}";
    private string Address(int vm) => $"10.213.{_subnet}.{vm + 1}";

    public override string Describe() =>
        $"{Count} {(Count == 1 ? "VM" : "VMs")} with the namespace provider (own network, UTS, IPC and mount namespaces; bridge {Bridge}, subnet 10.213.{_subnet}.0/24" +
        (_cgroups.Any(c => c != null) ? ", cpuset cgroups)" : ", no cpuset cgroup on this host)");

    /// <summary>With br_netfilter on, bridged frames between VMs pass the iptables FORWARD chain;
    /// a DROP policy there (as Docker sets) silently cuts the VMs off from each other.</summary>
    public override string? Warning
    {
        get
        {
            bool filtered = File.Exists("/proc/sys/net/bridge/bridge-nf-call-iptables") &&
                File.ReadAllText("/proc/sys/net/bridge/bridge-nf-call-iptables").Trim() == "1";
            if (!filtered || HostSupport.FindTool("iptables") == null) return null;
            var (code, rules, _) = Shell.TryRun("iptables", "-S", "FORWARD");
            return code == 0 && rules.Contains("-P FORWARD DROP")
                ? $"iptables drops forwarded traffic and net.bridge.bridge-nf-call-iptables=1, so tcp between VMs on {Bridge} may be blocked (allow it with 'iptables -I FORWARD -i csd+ -o csd+ -j ACCEPT' or set the sysctl to 0)"
                : null;
        }
    }

    public override string VmSegmentOnHost(int vm) => $"/proc/{_holders[vm]!.Id}/root{VmSegmentInVm(vm)}";
    public override string VmSegmentInVm(int vm) => $"/dev/shm/cosched-{Job}-vm{vm}";
    public override string? HostSegmentInVm(int vm) => _hostSegmentOfVm[vm] == null ? null : Path.Combine(HostSegmentDirectory(vm), "host.shm");

    /// <summary>The shared mount through which VM <paramref name="vm"/> sees its host's segment.</summary>
    private string HostSegmentDirectory(int vm) => Path.Combine(JobDirectory, $"vm{vm}");

    public override string MoveVm(int vm, int[] cores, string? hostSegment)
    {
        var cpus = string.Join(',', cores);
        if (_cgroups[vm] is { } cgroup) File.WriteAllText(Path.Combine(cgroup, "cpuset.cpus"), cpus);
        if (HostSegmentInVm(vm) is { } target)
        {
            Mounts.DetachMount(target); // the VM's ranks have already left it (ATTACH comes next)
            if (hostSegment != null) Mounts.BindMount(hostSegment, target);
        }
        _hostSegmentOfVm[vm] = hostSegment;
        return $"namespace provider: cpuset {(_cgroups[vm] != null ? cpus : "(none on this host)")} and the destination's host segment moved; processes and memory stay where they are";
    }
    public override string BindAddress(int vm) => Address(vm);

    public override IReadOnlyList<string> Wrap(int vm, IReadOnlyList<string> command) =>
        ["nsenter", "-t", _holders[vm]!.Id.ToString(), "--net", "--uts", "--ipc", "--mount", $"--wd={Environment.CurrentDirectory}", "--", .. command];

    public override string? CgroupDirectory(int vm) => _cgroups[vm];

    public override void Adopt(int vm, int pid)
    {
        if (_cgroups[vm] is { } cgroup)
        {
            try { File.WriteAllText(Path.Combine(cgroup, "cgroup.procs"), pid.ToString()); }
            catch (IOException) { } // the rank may already be gone
        }
    }

    public static NamespaceMachines Create(string job, int count, string?[] hostSegmentOfVm, int launcherPid, int[][]? cores = null)
    {
        if (!HostSupport.IsRoot) throw new DomainException("the namespace provider needs root (use --vm-kind process for an emulation)");
        if (!HostSupport.HasIpTool) throw new DomainException("the namespace provider needs ip, nsenter and unshare (iproute2, util-linux)");
        if (count > 253) throw new DomainException($"the namespace provider makes at most 253 VMs per job (asked for {count})");
        var machines = new NamespaceMachines(job, count, hostSegmentOfVm);
        try
        {
            machines.Build(launcherPid, cores);
            return machines;
        }
        catch
        {
            machines.Dispose();
            throw;
        }
    }

    private void Build(int launcherPid, int[][]? cores)
    {
        Directory.CreateDirectory(RunRoot);
        Directory.CreateDirectory(JobDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(JobDirectory, "launcher.pid"), launcherPid.ToString());
        _subnet = Subnets.Reserve(Job);
        for (int vm = 0; vm < Count; vm++)
        {
            if (HostSegmentInVm(vm) is not { } target) continue;
            Directory.CreateDirectory(HostSegmentDirectory(vm));
            Mounts.MakeSharedMountPoint(HostSegmentDirectory(vm));
            using (File.Create(target)) { } // the mount point of the segment
            Mounts.BindMount(_hostSegmentOfVm[vm]!, target);
        }

        // The host side of every VM in one batch (bridge, namespaces, veth pairs), then each VM's side in one.
        var host = new List<string> { $"link add {Bridge} type bridge", $"link set {Bridge} up" };
        for (int vm = 0; vm < Count; vm++)
            host.AddRange([$"netns add {NetnsName(Job, vm)}", $"link add {HostLink(vm)} type veth peer name {PeerLink(vm)}",
                $"link set {PeerLink(vm)} netns {NetnsName(Job, vm)}", $"link set {HostLink(vm)} master {Bridge} up"]);
        Shell.RunIpBatch(null, [.. host]);
        for (int vm = 0; vm < Count; vm++)
        {
            Shell.RunIpBatch(NetnsName(Job, vm), $"link set {PeerLink(vm)} name eth0", $"addr add {Address(vm)}/24 dev eth0", "link set eth0 up", "link set lo up");
            _holders[vm] = StartHolder(vm, launcherPid);
            _cgroups[vm] = MakeCpuset(vm, cores?[vm]);
            if (_cgroups[vm] != null) Adopt(vm, _holders[vm]!.Id);
        }
    }

    private Process StartHolder(int vm, int launcherPid)
    {
        // The private tmpfs hides the host's /dev/shm; the host segment comes through its shared mount.
        var script = "set -e\n" +
            $"mount -t tmpfs -o mode=1777 cosched-{Job}-vm{vm} /dev/shm\n" +
            $"hostname '{Hostname(vm)}'\n" +
            "echo ready\n" +
            $"exec tail --pid={launcherPid} -f /dev/null\n";
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", NetnsName(Job, vm), "unshare", "--uts", "--ipc", "--mount", "--propagation", "slave", "sh", "-c", script })
            info.ArgumentList.Add(a);
        var holder = Process.Start(info)!;
        var error = holder.StandardError.ReadToEndAsync();
        var ready = holder.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || ready.Result != "ready")
        {
            try { holder.Kill(); } catch (InvalidOperationException) { }
            holder.WaitForExit(2000);
            var line = error.IsCompleted ? error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() : null;
            throw new DomainException($"VM {vm} did not start: {line ?? "no answer from its holder process"}");
        }
        return holder;
    }

    private string? MakeCpuset(int vm, int[]? cores)
    {
        if (cores == null || cores.Length == 0) return null;
        var cpus = string.Join(',', cores);
        try
        {
            if (HostSupport.CgroupVersion == "v2")
            {
                if (!File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Contains("cpuset")) return null;
                File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+cpuset");
                var dir = $"/sys/fs/cgroup/{NetnsName(Job, vm)}";
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "cpuset.cpus"), cpus);
                return dir;
            }
            if (HostSupport.CgroupVersion == "v1")
            {
                var dir = $"/sys/fs/cgroup/cpuset/{NetnsName(Job, vm)}";
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "cpuset.cpus"), cpus);
                File.WriteAllText(Path.Combine(dir, "cpuset.mems"), File.ReadAllText("/sys/fs/cgroup/cpuset/cpuset.mems").Trim());
                return dir;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    public override void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var holder in _holders)
        {
            if (holder == null) continue;
            try { holder.Kill(); } catch (InvalidOperationException) { }
            holder.WaitForExit(2000);
            holder.Dispose();
        }
        Cleanup.RemoveJob(Job, log: null);
    }
}
