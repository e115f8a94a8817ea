using System.Text.RegularExpressions;

namespace Cosched.Domains.Tests;

/// <summary>Jobs split over VMs: isolation, channel choice per policy, correct collectives, usage errors.</summary>
[Collection("vms")]
public partial class VmJobTests
{
    [Theory]
    [InlineData("-n", "2", "--vms", "3")]
    [InlineData("-n", "4", "--vms", "-1")]
    [InlineData("-n", "4", "--vms", "2", "--pin", "diagonal")]
    [InlineData("-n", "4", "--vms", "2", "--vm-kind", "xen")]
    [InlineData("-n", "4", "--vms", "2", "--channels", "carrier-pigeon")]
    public void BadValuesExitTwoWithOneLine(params string[] arguments)
    {
        foreach (var command in new[] { new[] { "run" }, new[] { "bench", "barrier" } })
        {
            var result = Cli.Run([.. command, .. arguments, .. command[0] == "run" ? new[] { "--", "true" } : []]);
            Assert.Equal(2, result.ExitCode);
            var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.StartsWith("cosched: ", lines[0]);
        }
    }

    [Theory]
    [InlineData("process")]
    [InlineData("namespace")]
    public void PerVmUsesShmInsideAVmAndTcpBetweenVms(string kind)
    {
        if (kind == "namespace" && !Cli.IsRoot) return; // covered by the process provider; namespace needs root
        foreach (var pin in new[] { "compact", "scatter" })
        {
            var result = Cli.Run(["run", "-n", "4", "--vms", "2", "--pin", pin, "--vm-kind", kind, "--channels", "per-vm", "--report-bindings", "--", .. Cli.TestRank("exchange")]);
            Assert.True(result.ExitCode == 0, result.Error);
            var bindings = Cli.Bindings(result.Error);
            Assert.Equal(4, bindings.Count);
            foreach (var (rank, (vm, _, channels)) in bindings)
            {
                Assert.Equal(pin == "compact" ? rank / 2 : rank % 2, vm);
                foreach (var (peer, transport) in channels)
                    Assert.Equal(bindings[peer].Vm == vm ? "shm" : "tcp", transport);
            }
        }
    }

    [Theory]
    [InlineData("process")]
    [InlineData("namespace")]
    public void LocalityUsesTheVmSegmentInsideAVmAndTheHostSegmentBetweenVms_NetworkTcpEverywhere(string kind)
    {
        if (kind == "namespace" && !Cli.IsRoot) return;
        foreach (var policy in new[] { "locality", "network" })
        {
            var result = Cli.Run(["run", "-n", "4", "--vms", "2", "--vm-kind", kind, "--channels", policy, "--report-bindings", "--", .. Cli.TestRank("exchange")]);
            Assert.True(result.ExitCode == 0, result.Error);
            var bindings = Cli.Bindings(result.Error);
            Assert.Equal(4, bindings.Count);
            // Locality: the VM's own segment inside a VM, the host segment (ivshmem analogue) between VMs.
            foreach (var (vm, _, channels) in bindings.Values)
                foreach (var (peer, transport) in channels)
                    Assert.Equal(policy == "network" ? "tcp" : bindings[peer].Vm == vm ? "shm" : "shm-host", transport);
            Assert.Contains("exchange ok", result.Output);
            Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
        }
    }

    [Fact]
    public void TheProcessProviderSaysItIsAnEmulation()
    {
        var result = Cli.Run(["run", "-n", "2", "--vms", "2", "--vm-kind", "process", "--report-bindings", "--", .. Cli.TestRank("hello")]);
        Assert.Equal(0, result.ExitCode);
        var vmLines = result.Error.Split('\n').Where(l => l.Contains("vm ")).ToArray();
        Assert.NotEmpty(vmLines);
        Assert.Contains("emulation", result.Error.Split('\n').First(l => l.Contains("process provider")));
        Assert.All(vmLines, l => Assert.Contains("emulation", l));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("imb")]
    public void BenchOutputOfTheProcessProviderSaysItIsAnEmulation(string format)
    {
        var result = Cli.Run("bench", "pingpong", "-n", "2", "--vms", "2", "--vm-kind", "process", "--msglog", "3:3", "--time", "0.1", "--format", format);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("emulation", result.Output);
    }

    [RootFact]
    public void HostnamesDifferBetweenVmsAndAgreeInsideOne()
    {
        var result = Cli.Run(["run", "-n", "4", "--vms", "2", "--vm-kind", "namespace", "--report-bindings", "--", .. Cli.TestRank("hello")]);
        Assert.True(result.ExitCode == 0, result.Error);
        var bindings = Cli.Bindings(result.Error);
        Assert.Equal(4, bindings.Count);
        Assert.Equal(bindings[0].Host, bindings[1].Host);
        Assert.Equal(bindings[2].Host, bindings[3].Host);
        Assert.NotEqual(bindings[0].Host, bindings[2].Host);
        Assert.NotEqual(Environment.MachineName, bindings[0].Host);
    }

    [RootFact]
    public void AVmCannotSeeAnotherVmsDevShm()
    {
        // Each rank leaves a file in its /dev/shm, waits for the other, and lists what it sees.
        var script = "touch /dev/shm/probe-$COSCHED_RANK; sleep 1; echo \"rank $COSCHED_RANK sees $(ls /dev/shm | grep probe | tr '\\n' ' ')\"";
        var result = Cli.Run(["run", "-n", "2", "--vms", "2", "--vm-kind", "namespace", "--channels", "network", "--", "sh", "-c", script]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("rank 0 sees probe-0 \n", result.Output + "\n");
        Assert.Contains("rank 1 sees probe-1 \n", result.Output + "\n");
        Assert.False(File.Exists("/dev/shm/probe-0"), "a VM wrote into the host's /dev/shm");
    }

    [RootFact]
    public void VmsReachEachOtherOnlyOverTheirOwnAddresses()
    {
        var result = Cli.Run(["run", "-n", "2", "--vms", "2", "--vm-kind", "namespace", "--channels", "network", "--", "sh", "-c", "echo \"rank $COSCHED_RANK bind $COSCHED_BIND $(ip -o -4 addr show eth0 | awk '{print $4}')\""]);
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            Assert.StartsWith("10.213.", parts[3]);
            Assert.Equal(parts[3] + "/24", parts[4]);
        }
    }

    [RootFact]
    public void ConcurrentJobsGetDifferentSubnets()
    {
        string[] Job() => ["run", "-n", "2", "--vms", "2", "--vm-kind", "namespace", "--channels", "network", "--", "sh", "-c", "sleep 1; echo $COSCHED_BIND"];
        var first = Task.Run(() => Cli.Run(Job()));
        var second = Task.Run(() => Cli.Run(Job()));
        var subnets = new[] { first.Result, second.Result }.Select(r =>
        {
            Assert.True(r.ExitCode == 0, r.Error);
            var addresses = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(a => a[..a.LastIndexOf('.')]).Distinct().ToArray();
            return Assert.Single(addresses);
        }).ToArray();
        Assert.NotEqual(subnets[0], subnets[1]);
    }

    [Fact]
    public void DoctorReportsWhatTheHostOffers()
    {
        var result = Cli.Run("doctor");
        Assert.Equal(0, result.ExitCode);
        foreach (var item in new[] { "root:", "namespaces:", "cgroups:", "cores:", "Open MPI:", "meaning:" })
            Assert.Contains(item, result.Output);
    }

    public static TheoryData<int, int, string, string> Placements()
    {
        var data = new TheoryData<int, int, string, string>();
        foreach (var policy in new[] { "locality", "per-vm", "network" })
        {
            data.Add(4, 2, "compact", policy);
            data.Add(5, 2, "scatter", policy);
            data.Add(8, 3, "compact", policy);
            data.Add(16, 16, "compact", policy);
        }
        return data;
    }

    /// <summary>Every collective, at sizes up to past the eager limit, checked on every rank.</summary>
    [Theory]
    [MemberData(nameof(Placements))]
    public void EveryCollectiveIsCorrectForEveryPlacementAndPolicy(int ranks, int vms, string pin, string policy)
    {
        var kinds = Cli.IsRoot ? new[] { "namespace", "process" } : new[] { "process" };
        foreach (var kind in kinds)
        {
            var result = Cli.Run(["run", "-n", ranks.ToString(), "--vms", vms.ToString(), "--pin", pin, "--channels", policy, "--vm-kind", kind,
                "--", .. Cli.TestRank("collectives")]);
            Assert.True(result.ExitCode == 0, $"{kind}: exit {result.ExitCode}: {result.Error}");
            Assert.Contains("collectives ok", result.Output);
            Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
        }
    }

    public static TheoryData<string, string, string, int, int> Collectives()
    {
        var data = new TheoryData<string, string, string, int, int>();
        // Correctness of every collective is checked above with the collectives rank program; here
        // the bench command itself runs over VMs.
        foreach (var bench in new[] { "barrier", "bcast", "reduce", "allreduce", "gather", "scatter", "allgather", "alltoall" })
            data.Add(bench, bench.Length % 2 == 0 ? "locality" : "per-vm", "scatter", 4, 2);
        data.Add("allreduce", "network", "compact", 4, 2);
        data.Add("alltoall", "locality", "compact", 16, 16);
        data.Add("allreduce", "per-vm", "compact", 16, 16);
        data.Add("pingpong", "per-vm", "compact", 2, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Collectives))]
    public void CollectivesStayCorrectAcrossVms(string bench, string policy, string pin, int ranks, int vms)
    {
        var kind = Cli.IsRoot ? "namespace" : "process";
        var result = Cli.Run("bench", bench, "-n", ranks.ToString(), "--vms", vms.ToString(), "--pin", pin, "--channels", policy,
            "--vm-kind", kind, "--time", "0.05", "--msglog", "0:12");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("# Benchmarking", result.Output);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }
}
