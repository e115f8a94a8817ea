namespace Cosched.Domains;

/// <summary>Where each rank of a job runs: its host, its VM and its core, the cores of each VM and
/// of each simulated host.</summary>
/// <param name="Vms">Number of VMs; 0 means native: ranks run on the hosts themselves, and "VM" g
/// (of <see cref="VmOfRank"/>, <see cref="CoresOfVm"/>) is the group of ranks on host g.</param>
/// <param name="HostOfVm">The host each VM (natively: each group) is on.</param>
/// <param name="CoresOfHost">The launcher's cores split into one contiguous set per host (shared,
/// one core each, when there are more hosts than cores: see <see cref="HostsShareCores"/>).</param>
public sealed record Placement(int Vms, int[] VmOfRank, int[] CoreOfRank, int[][] CoresOfVm, int[] HostOfVm, int[][] CoresOfHost)
{
    public int Ranks => VmOfRank.Length;
    public int Hosts => CoresOfHost.Length;

    /// <summary>True when hosts had to share cores (more hosts than cores); every output says so.</summary>
    public bool HostsShareCores => CoresOfHost.SelectMany(c => c).Distinct().Count() < CoresOfHost.Sum(c => c.Length);

    public int HostOfRank(int rank) => HostOfVm[VmOfRank[rank]];

    /// <summary>Checks the request; returns a one-line problem or null.</summary>
    /// <param name="vmHosts">The host of each VM (--vm-hosts), or null for round-robin.</param>
    public static string? Validate(int ranks, int vms, int hosts = 1, IReadOnlyList<int>? vmHosts = null)
    {
        if (vms < 0) return $"--vms must be 0 (native) or a positive number of VMs (got {vms})";
        if (vms > ranks) return $"--vms {vms} asks for more VMs than the {ranks} ranks of the job (each VM needs at least one rank)";
        if (hosts < 1) return $"--hosts must be at least 1 (got {hosts})";
        if (vmHosts == null) return null;
        if (vms == 0) return "--vm-hosts needs VMs (--vms K)";
        if (vmHosts.Count != vms) return $"--vm-hosts names {vmHosts.Count} hosts for {vms} VMs (one per VM)";
        foreach (int h in vmHosts)
            if (h < 0 || h >= hosts) return $"--vm-hosts: host {h} does not exist (hosts are 0..{hosts - 1})";
        return null;
    }

    /// <summary>Places <paramref name="ranks"/> ranks on <paramref name="vms"/> VMs over
    /// <paramref name="hosts"/> hosts made of the given cores. Each host gets a contiguous block of
    /// the cores; each VM a contiguous block of its host's cores (one core each, wrapping, when its
    /// host has more VMs than cores); the i-th rank of a VM gets the i-th core of its block (wrapping
    /// when oversubscribed). VM v is on host v mod H unless <paramref name="vmHosts"/> says otherwise;
    /// natively, ranks are dealt over the hosts as --pin deals them over VMs.</summary>
    public static Placement Compute(int ranks, int vms, PinPolicy pin, IReadOnlyList<int> cores, int hosts = 1, IReadOnlyList<int>? vmHosts = null)
    {
        if (Validate(ranks, vms, hosts, vmHosts) is { } problem) throw new ArgumentException(problem);
        if (cores.Count == 0) throw new ArgumentException("no cores to place ranks on");
        var coresOfHost = Split(cores, hosts);
        int groups = vms > 0 ? vms : hosts;
        var hostOf = vms > 0 ? vmHosts?.ToArray() ?? Enumerable.Range(0, vms).Select(v => v % hosts).ToArray() : Enumerable.Range(0, hosts).ToArray();
        var vmOf = new int[ranks];
        for (int r = 0; r < ranks; r++)
            vmOf[r] = pin == PinPolicy.Compact ? (int)((long)r * groups / ranks) : r % groups;

        var coresOf = new int[groups][];
        for (int h = 0; h < hosts; h++)
        {
            var onHost = Enumerable.Range(0, groups).Where(g => hostOf[g] == h).ToArray();
            var blocks = Split(coresOfHost[h], Math.Max(onHost.Length, 1));
            for (int i = 0; i < onHost.Length; i++) coresOf[onHost[i]] = blocks[i];
        }
        return new Placement(vms, vmOf, CoresOfRanks(vmOf, coresOf), coresOf, hostOf, coresOfHost);
    }

    /// <summary>This placement after VM <paramref name="vm"/> moved to <paramref name="host"/>: the VM
    /// may use all of its new host's cores (the others keep theirs, so no other VM is disturbed).</summary>
    public Placement WithVmOn(int vm, int host)
    {
        if (Vms == 0) throw new InvalidOperationException("a native job has no VM to move");
        var hostOf = (int[])HostOfVm.Clone();
        hostOf[vm] = host;
        var coresOf = (int[][])CoresOfVm.Clone();
        coresOf[vm] = CoresOfHost[host];
        return this with { HostOfVm = hostOf, CoresOfVm = coresOf, CoreOfRank = CoresOfRanks(VmOfRank, coresOf) };
    }

    /// <summary>Ranks of VM <paramref name="vm"/>, in order.</summary>
    public IEnumerable<int> RanksOf(int vm) => Enumerable.Range(0, Ranks).Where(r => VmOfRank[r] == vm);

    /// <summary>Ranks on host <paramref name="host"/>, in order.</summary>
    public IEnumerable<int> RanksOnHost(int host) => Enumerable.Range(0, Ranks).Where(r => HostOfRank(r) == host);

    /// <summary><paramref name="cores"/> in <paramref name="parts"/> contiguous blocks, or one core
    /// each, wrapping, when there are more parts than cores.</summary>
    private static int[][] Split(IReadOnlyList<int> cores, int parts)
    {
        var blocks = new int[parts][];
        int m = cores.Count;
        for (int k = 0; k < parts; k++)
        {
            if (parts <= m)
            {
                int from = (int)((long)k * m / parts), to = (int)((long)(k + 1) * m / parts);
                blocks[k] = cores.Skip(from).Take(to - from).ToArray();
            }
            else blocks[k] = [cores[k % m]];
        }
        return blocks;
    }

    private static int[] CoresOfRanks(int[] vmOf, int[][] coresOf)
    {
        var coreOf = new int[vmOf.Length];
        var seen = new int[coresOf.Length];
        for (int r = 0; r < vmOf.Length; r++)
        {
            var block = coresOf[vmOf[r]];
            coreOf[r] = block[seen[vmOf[r]]++ % block.Length];
        }
        return coreOf;
    }
}
