namespace Cosched.Domains.Tests;

/// <summary>Ranks land in the VMs and on the cores that --vms and --pin promise.</summary>
public class PlacementTests
{
    [Fact]
    public void CompactFillsOneVmAfterTheOther()
    {
        var p = Placement.Compute(8, 2, PinPolicy.Compact, [0, 1, 2, 3]);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], p.VmOfRank);
        Assert.Equal([[0, 1], [2, 3]], p.CoresOfVm);
        Assert.Equal([0, 1, 0, 1, 2, 3, 2, 3], p.CoreOfRank);
    }

    [Fact]
    public void ScatterDealsRoundRobin()
    {
        var p = Placement.Compute(6, 3, PinPolicy.Scatter, [0, 1, 2, 3, 4, 5]);
        Assert.Equal([0, 1, 2, 0, 1, 2], p.VmOfRank);
        Assert.Equal([0, 2, 4, 1, 3, 5], p.CoreOfRank);
    }

    [Fact]
    public void MoreVmsThanCoresWrapAroundTheCores()
    {
        var p = Placement.Compute(16, 16, PinPolicy.Compact, [0, 1]);
        Assert.Equal(Enumerable.Range(0, 16).ToArray(), p.VmOfRank);
        Assert.All(Enumerable.Range(0, 16), vm => Assert.Equal([vm % 2], p.CoresOfVm[vm]));
        Assert.Equal(Enumerable.Range(0, 16).Select(r => r % 2).ToArray(), p.CoreOfRank);
    }

    [Theory]
    [InlineData(5, 2, new[] { 0, 0, 0, 1, 1 })]
    [InlineData(7, 3, new[] { 0, 0, 0, 1, 1, 2, 2 })]
    public void CompactWithUnevenCountsKeepsBlocksWithinOneOfEachOther(int ranks, int vms, int[] expected) =>
        Assert.Equal(expected, Placement.Compute(ranks, vms, PinPolicy.Compact, [0, 1]).VmOfRank);

    [Fact]
    public void EveryRankRunsOnACoreOfItsOwnVmAndVmsDoNotShareCoresWhenThereAreEnough()
    {
        for (int ranks = 1; ranks <= 16; ranks++)
            for (int vms = 1; vms <= ranks; vms++)
                foreach (var pin in new[] { PinPolicy.Compact, PinPolicy.Scatter })
                {
                    var cores = new[] { 0, 1, 2, 3 };
                    var p = Placement.Compute(ranks, vms, pin, cores);
                    for (int r = 0; r < ranks; r++) Assert.Contains(p.CoreOfRank[r], p.CoresOfVm[p.VmOfRank[r]]);
                    Assert.All(Enumerable.Range(0, vms), vm => Assert.NotEmpty(p.RanksOf(vm)));
                    if (vms <= cores.Length)
                        Assert.Equal(p.CoresOfVm.Sum(c => c.Length), p.CoresOfVm.SelectMany(c => c).Distinct().Count());
                }
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(4, -1)]
    public void ImpossibleRequestsAreRefusedWithOneLine(int ranks, int vms)
    {
        var problem = Placement.Validate(ranks, vms);
        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void HostsSplitTheCoresAndVmsLieInsideTheirHostsCores()
    {
        var p = Placement.Compute(8, 4, PinPolicy.Compact, [0, 1, 2, 3], hosts: 2);
        Assert.Equal([[0, 1], [2, 3]], p.CoresOfHost);
        Assert.Equal([0, 1, 0, 1], p.HostOfVm); // round-robin: VM v on host v mod H
        Assert.Equal([[0], [2], [1], [3]], p.CoresOfVm);
        Assert.False(p.HostsShareCores);
        for (int r = 0; r < 8; r++) Assert.Contains(p.CoreOfRank[r], p.CoresOfHost[p.HostOfRank(r)]);
    }

    [Fact]
    public void VmHostsPutsEachVmWhereItSays()
    {
        var p = Placement.Compute(4, 2, PinPolicy.Compact, [0, 1, 2, 3], hosts: 2, vmHosts: [1, 1]);
        Assert.Equal([1, 1], p.HostOfVm);
        Assert.Equal([[2], [3]], p.CoresOfVm);
        Assert.Empty(p.RanksOnHost(0));
        Assert.Equal([0, 1, 2, 3], p.RanksOnHost(1));
    }

    [Fact]
    public void MoreHostsThanCoresShareCoresAndSaySo()
    {
        var p = Placement.Compute(3, 3, PinPolicy.Compact, [0, 1], hosts: 3);
        Assert.Equal([[0], [1], [0]], p.CoresOfHost);
        Assert.True(p.HostsShareCores);
    }

    [Fact]
    public void NativelyRanksAreDealtOverTheHosts()
    {
        var p = Placement.Compute(4, 0, PinPolicy.Compact, [0, 1, 2, 3], hosts: 2);
        Assert.Equal([0, 0, 1, 1], Enumerable.Range(0, 4).Select(p.HostOfRank));
        Assert.Equal([0, 1, 2, 3], p.CoreOfRank);
        Assert.Equal(1, Placement.Compute(4, 0, PinPolicy.Compact, [0, 1]).Hosts);
    }

    [Fact]
    public void AMovedVmTakesItsNewHostsCoresAndTheOthersKeepTheirs()
    {
        var p = Placement.Compute(4, 2, PinPolicy.Compact, [0, 1, 2, 3], hosts: 2);
        var moved = p.WithVmOn(1, 0);
        Assert.Equal([0, 0], moved.HostOfVm);
        Assert.Equal([[0, 1], [0, 1]], moved.CoresOfVm);
        Assert.Equal([0, 1, 0, 1], moved.CoreOfRank);
        Assert.Equal([0, 1], p.HostOfVm); // a value: the original is unchanged
    }

    [Theory]
    [InlineData(4, 2, 0, null)]
    [InlineData(4, 2, 2, new[] { 0 })]
    [InlineData(4, 2, 2, new[] { 0, 2 })]
    [InlineData(4, 0, 2, new[] { 0 })]
    [InlineData(4, 2, 2, new[] { -1, 0 })]
    public void ImpossibleHostRequestsAreRefusedWithOneLine(int ranks, int vms, int hosts, int[]? vmHosts)
    {
        var problem = Placement.Validate(ranks, vms, hosts, vmHosts);
        Assert.NotNull(problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void NamesParse()
    {
        Assert.True(PinPolicies.TryParse("scatter", out var pin));
        Assert.Equal(PinPolicy.Scatter, pin);
        Assert.False(PinPolicies.TryParse("diagonal", out _));
        Assert.True(VmKinds.TryParse("process", out var kind));
        Assert.Equal(VmKind.Process, kind);
        Assert.False(VmKinds.TryParse("xen", out _));
        Assert.Equal(VmKind.Process, VmKinds.Resolve(VmKind.Process));
    }

    [Theory]
    [InlineData("cosched-0a1b2c3d-vm3", "0a1b2c3d")]
    [InlineData("csd0a1b2c3dv12", "0a1b2c3d")]
    [InlineData("csd0a1b2c3d", "0a1b2c3d")]
    [InlineData("cosched-0a1b2c3d", "0a1b2c3d")]
    [InlineData("cosched-test-123-abc", null)]
    [InlineData("docker0", null)]
    public void OnlyCoschedNamesBelongToAJob(string name, string? job) => Assert.Equal(job, Cleanup.JobOf(name));
}
