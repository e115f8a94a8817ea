namespace Cosched.Scheduling.Model;

/// <summary>The hosts and what runs on them: free cores per host and the jobs on each. Refuses to
/// over-commit a host, so no policy can put more ranks on a host than it has cores.</summary>
public sealed class Cluster
{
    private readonly int[] free;
    private readonly List<(RunningJob Job, int Cores)>[] onHost;

    public Cluster(int hosts, int coresPerHost)
    {
        if (hosts < 1) throw new ArgumentOutOfRangeException(nameof(hosts), "at least one host");
        if (coresPerHost < 1) throw new ArgumentOutOfRangeException(nameof(coresPerHost), "at least one core per host");
        Hosts = hosts;
        CoresPerHost = coresPerHost;
        free = Enumerable.Repeat(coresPerHost, hosts).ToArray();
        onHost = Enumerable.Range(0, hosts).Select(_ => new List<(RunningJob, int)>()).ToArray();
        FreeCores = hosts * coresPerHost;
        EmptyHosts = hosts;
    }

    public int Hosts { get; }
    public int CoresPerHost { get; }
    public int FreeCores { get; private set; }

    /// <summary>Hosts with nothing on them.</summary>
    public int EmptyHosts { get; private set; }

    public int FreeOn(int host) => free[host];
    public bool IsEmpty(int host) => free[host] == CoresPerHost;
    public IReadOnlyList<(RunningJob Job, int Cores)> JobsOn(int host) => onHost[host];

    public void Place(RunningJob job)
    {
        var hosts = job.Allocation.Parts.Select(p => p.Host).ToArray();
        if (hosts.Distinct().Count() != hosts.Length) throw new InvalidOperationException($"{job}: two VMs of one job on one host");
        foreach (var part in job.Allocation.Parts)
            if (part.Cores < 1 || part.Cores > free[part.Host])
                throw new InvalidOperationException($"{job}: host {part.Host} has {free[part.Host]} free cores, not {part.Cores}");
        foreach (var part in job.Allocation.Parts) Add(part.Host, job, part.Cores);
    }

    public void Remove(RunningJob job)
    {
        foreach (var part in job.Allocation.Parts) Take(part.Host, job);
    }

    /// <summary>Moves VM <paramref name="part"/> of <paramref name="job"/> to <paramref name="host"/>.</summary>
    public void Move(RunningJob job, int part, int host)
    {
        var vm = job.Allocation.Parts[part];
        if (vm.Host == host) throw new InvalidOperationException($"{job}: VM {part} is already on host {host}");
        if (job.Allocation.Parts.Any(p => p.Host == host)) throw new InvalidOperationException($"{job}: already has a VM on host {host}");
        if (free[host] < vm.Cores) throw new InvalidOperationException($"{job}: host {host} has {free[host]} free cores, not {vm.Cores}");
        Take(vm.Host, job);
        Add(host, job, vm.Cores);
        job.Allocation = job.Allocation.WithPartOn(part, host);
    }

    /// <summary>Swaps VM <paramref name="partA"/> of <paramref name="a"/> with VM <paramref name="partB"/>
    /// of <paramref name="b"/>, on different hosts, each fitting where the other was.</summary>
    public void Swap(RunningJob a, int partA, RunningJob b, int partB)
    {
        var va = a.Allocation.Parts[partA];
        var vb = b.Allocation.Parts[partB];
        if (va.Host == vb.Host || free[va.Host] + va.Cores < vb.Cores || free[vb.Host] + vb.Cores < va.Cores)
            throw new InvalidOperationException($"cannot swap {a} and {b}: they are on one host, or one does not fit where the other is");
        if (a.Allocation.Parts.Any(p => p.Host == vb.Host) || b.Allocation.Parts.Any(p => p.Host == va.Host))
            throw new InvalidOperationException($"{a} or {b}: a swap would put two VMs of one job on one host");
        Take(va.Host, a);
        Take(vb.Host, b);
        Add(vb.Host, a, va.Cores);
        Add(va.Host, b, vb.Cores);
        a.Allocation = a.Allocation.WithPartOn(partA, vb.Host);
        b.Allocation = b.Allocation.WithPartOn(partB, va.Host);
    }

    private void Add(int host, RunningJob job, int cores)
    {
        if (free[host] == CoresPerHost) EmptyHosts--;
        free[host] -= cores;
        FreeCores -= cores;
        onHost[host].Add((job, cores));
    }

    private void Take(int host, RunningJob job)
    {
        var list = onHost[host];
        int i = list.FindIndex(e => ReferenceEquals(e.Job, job));
        free[host] += list[i].Cores;
        FreeCores += list[i].Cores;
        list.RemoveAt(i);
        if (free[host] == CoresPerHost) EmptyHosts++;
    }
}
