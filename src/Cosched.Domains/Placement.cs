namespace Cosched.Domains;

/// <summary>Where each rank of a job runs: its VM and its core, and the cores of each VM.</summary>
/// <param name="Vms">Number of VMs; 0 means native (ranks on the host itself, one VM-less group).</param>
public sealed record Placement(int Vms, int[] VmOfRank, int[] CoreOfRank, int[][] CoresOfVm)
{
    public int Ranks => VmOfRank.Length;

    /// <summary>Checks the request; returns a one-line problem or null.</summary>
    public static string? Validate(int ranks, int vms)
    {
        if (vms < 0) return $"--vms must be 0 (native) or a positive number of VMs (got {vms})";
        if (vms > ranks) return $"--vms {vms} asks for more VMs than the {ranks} ranks of the job (each VM needs at least one rank)";
        return null;
    }

    /// <summary>Places <paramref name="ranks"/> ranks on <paramref name="vms"/> VMs over the given cores.
    /// Each VM gets its own contiguous block of cores (one core each, wrapping, when there are more VMs
    /// than cores); the i-th rank of a VM gets the i-th core of its block (wrapping when oversubscribed).</summary>
    public static Placement Compute(int ranks, int vms, PinPolicy pin, IReadOnlyList<int> cores)
    {
        if (Validate(ranks, vms) is { } problem) throw new ArgumentException(problem);
        if (cores.Count == 0) throw new ArgumentException("no cores to place ranks on");
        int groups = Math.Max(vms, 1);
        var vmOf = new int[ranks];
        for (int r = 0; r < ranks; r++)
            vmOf[r] = pin == PinPolicy.Compact ? (int)((long)r * groups / ranks) : r % groups;

        var coresOf = new int[groups][];
        int m = cores.Count;
        for (int k = 0; k < groups; k++)
        {
            if (groups <= m)
            {
                int from = (int)((long)k * m / groups), to = (int)((long)(k + 1) * m / groups);
                coresOf[k] = cores.Skip(from).Take(to - from).ToArray();
            }
            else coresOf[k] = [cores[k % m]];
        }

        var coreOf = new int[ranks];
        var seen = new int[groups];
        for (int r = 0; r < ranks; r++)
        {
            var block = coresOf[vmOf[r]];
            coreOf[r] = block[seen[vmOf[r]]++ % block.Length];
        }
        return new Placement(vms, vmOf, coreOf, coresOf);
    }

    /// <summary>Ranks of VM <paramref name="vm"/>, in order.</summary>
    public IEnumerable<int> RanksOf(int vm) => Enumerable.Range(0, Ranks).Where(r => VmOfRank[r] == vm);
}
