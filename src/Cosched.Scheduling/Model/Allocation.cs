namespace Cosched.Scheduling.Model;

/// <summary>One VM of a job: the host it is on and its ranks there (one core each).</summary>
public readonly record struct VmPart(int Host, int Cores);

/// <summary>Where a running job's ranks are: one VM per part, at most one part per host.</summary>
public sealed record Allocation(IReadOnlyList<VmPart> Parts)
{
    public int Vms => Parts.Count;
    public int Cores => Parts.Sum(p => p.Cores);

    public Allocation WithPartOn(int part, int host) =>
        new(Parts.Select((p, i) => i == part ? p with { Host = host } : p).ToArray());

    public override string ToString() => string.Join(' ', Parts.Select(p => $"h{p.Host}:{p.Cores}"));
}
