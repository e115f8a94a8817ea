using Cosched.Messaging.Collectives;
using Xunit.Sdk;

namespace Cosched.Messaging.Tests.Collectives;

/// <summary>The shared-memory groups a communicator sees (the two-level collectives' topology): they
/// follow the channels, every rank agrees on them, and the table picks two-level algorithms only
/// where the ranks really are split into several groups.</summary>
[Collection(CollectiveCollection.Name)]
public class TopologyTests
{
    /// <summary>Runs the body on ranks placed in "VMs", collecting each rank's view of the topology.</summary>
    private static SharedMemoryTopology[] Topologies(int[] vmOfRank, ChannelPolicy policy, Action<Communicator>? also = null)
    {
        var seen = new SharedMemoryTopology[vmOfRank.Length];
        InProcessJob.Run(vmOfRank.Length, world =>
        {
            seen[world.Rank] = world.Topology;
            also?.Invoke(world);
        }, policy, TimeSpan.FromSeconds(60), onCardsPublished: null, vmOfRank);
        return seen;
    }

    [Theory]
    [InlineData("0,0,1,1", "0,1|2,3", true)]
    [InlineData("0,1,0,1", "0,2|1,3", false)]
    [InlineData("1,0,2,2,0,2", "0|1,4|2,3,5", false)]
    [InlineData("0,0,0,1,1", "0,1,2|3,4", true)]
    public void PerVmGroupsAreTheVmsLedByTheirLowestRank(string placement, string groups, bool contiguous)
    {
        var vms = Kit.VmOfRank(placement);
        var seen = Topologies(vms, ChannelPolicy.PerVm, world =>
        {
            var topology = world.Topology;
            int group = topology.GroupOf[world.Rank];
            // The group communicator holds exactly the rank's VM, in rank order, the leader first.
            Assert.Equal(topology.Members[group].Length, topology.Local.Size);
            Assert.Equal(topology.IndexInGroup[world.Rank], topology.Local.Rank);
            for (int i = 0; i < topology.Local.Size; i++)
            {
                Assert.Equal(world.WorldRank(topology.Members[group][i]), topology.Local.WorldRank(i));
                Assert.Equal(i == topology.Local.Rank ? "self" : "shm", topology.Local.ChannelTo(i));
            }
            bool leads = topology.Leaders[group] == world.Rank;
            Assert.Equal(leads, topology.LeaderComm != null);
            if (leads) Assert.Equal(group, topology.LeaderComm!.Rank);
        });
        var expected = groups.Split('|').Select(g => g.Split(',').Select(int.Parse).ToArray()).ToArray();
        foreach (var topology in seen)
        {
            Assert.Equal(expected, topology.Members);
            Assert.Equal(expected.Select(g => g[0]).ToArray(), topology.Leaders);
            Assert.Equal(contiguous, topology.GroupsAreContiguous);
            Assert.True(topology.IsHierarchical);
        }
    }

    [Fact]
    public void LocalityMakesOneGroupAndTheNetworkOneGroupPerRank()
    {
        int[] vms = [0, 1, 0, 1];
        foreach (var topology in Topologies(vms, ChannelPolicy.Locality))
        {
            Assert.Equal(1, topology.GroupCount);
            Assert.False(topology.IsHierarchical);
        }
        foreach (var topology in Topologies(vms, ChannelPolicy.Network))
        {
            Assert.Equal(4, topology.GroupCount);
            Assert.False(topology.IsHierarchical);
        }
    }

    [Fact]
    public void TheTableGoesTwoLevelOnlyAcrossSeveralSharedMemoryGroups()
    {
        int[] scatter = [0, 1, 0, 1], compact = [0, 0, 1, 1];
        Topologies(scatter, ChannelPolicy.PerVm, world =>
        {
            var topology = world.Topology;
            Assert.Equal(BarrierAlgorithm.TwoLevel, Selection.Barrier(world.Size, topology));
            Assert.Equal(BcastAlgorithm.TwoLevel, Selection.Bcast(world.Size, 8, topology));
            Assert.Equal(AllreduceAlgorithm.TwoLevel, Selection.Allreduce(world.Size, 8, 2, commutative: true, topology));
            Assert.Equal(ReduceAlgorithm.TwoLevel, Selection.Reduce(world.Size, 65536, 16384, commutative: true, topology));
            Assert.Equal(ReduceAlgorithm.Binomial, Selection.Reduce(world.Size, 8, 2, commutative: true, topology));
            Assert.Equal(ReduceAlgorithm.ReduceScatterGather, Selection.Reduce(world.Size, 65536, 16384, commutative: false, topology));
            // VM 0 holds ranks 0 and 2: combining inside it first would put rank 2 before rank 1.
            Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(world.Size, 8, 2, commutative: false, topology));
        });
        Topologies(compact, ChannelPolicy.PerVm, world =>
            Assert.Equal(AllreduceAlgorithm.TwoLevel, Selection.Allreduce(world.Size, 8, 2, commutative: false, world.Topology)));
        // Where the measurements put the limits: sizes beyond those measured, and long allreduces with
        // groups of more than two ranks, stay flat.
        Topologies(scatter, ChannelPolicy.PerVm, world =>
        {
            Assert.Equal(AllreduceAlgorithm.TwoLevel, Selection.Allreduce(world.Size, 65536, 16384, commutative: true, world.Topology));
            Assert.Equal(AllreduceAlgorithm.Rabenseifner, Selection.Allreduce(world.Size, 1 << 20, 1 << 18, commutative: true, world.Topology));
            Assert.Equal(BcastAlgorithm.TwoLevel, Selection.Bcast(world.Size, 65536, world.Topology));
            Assert.Equal(BcastAlgorithm.ScatterAllgather, Selection.Bcast(world.Size, 1 << 20, world.Topology));
            Assert.Equal(AllgatherAlgorithm.RecursiveDoubling, Selection.Allgather(world.Size, 4 * 65536, world.Topology));
        });
        Topologies([0, 0, 0, 0, 1, 1, 1, 1], ChannelPolicy.PerVm, world =>
        {
            Assert.Equal(AllreduceAlgorithm.TwoLevel, Selection.Allreduce(world.Size, 8, 2, commutative: true, world.Topology));
            Assert.Equal(AllreduceAlgorithm.Rabenseifner, Selection.Allreduce(world.Size, 65536, 16384, commutative: true, world.Topology));
            Assert.Equal(AllgatherAlgorithm.TwoLevel, Selection.Allgather(world.Size, 8 * 65536, world.Topology));
            Assert.Equal(AllgatherAlgorithm.RecursiveDoubling, Selection.Allgather(world.Size, 8 * 8, world.Topology));
        });
        Topologies(scatter, ChannelPolicy.Locality, world =>
        {
            Assert.Equal(BarrierAlgorithm.Dissemination, Selection.Barrier(world.Size, world.Topology));
            Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(world.Size, 8, 2, commutative: true, world.Topology));
        });
    }

    [Fact]
    public void TheTableStaysFlatWhenTopologyAwarenessIsOff()
    {
        Selection.TopologyAware = false;
        try
        {
            Topologies([0, 0, 1, 1], ChannelPolicy.PerVm, world =>
            {
                Assert.True(world.Topology.IsHierarchical);
                Assert.Equal(BarrierAlgorithm.Dissemination, Selection.Barrier(world.Size, world.Topology));
                Assert.Equal(BcastAlgorithm.Binomial, Selection.Bcast(world.Size, 8, world.Topology));
                Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(world.Size, 8, 2, commutative: true, world.Topology));
            });
        }
        finally
        {
            Selection.TopologyAware = true;
        }
    }

    [Fact]
    public void ForcedTwoLevelFallsBackWhereItCannotKeepTheOrderOrHasNoTopology()
    {
        try
        {
            CollectiveAlgorithms.Override("allreduce", "two-level");
            CollectiveAlgorithms.Override("barrier", "two-level");
            // Inside one level (no topology) the table picks a flat algorithm.
            Assert.Equal(BarrierAlgorithm.Dissemination, Selection.Barrier(4));
            Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(4, 8, 2, commutative: true));
            Topologies([0, 1, 0, 1], ChannelPolicy.PerVm, world =>
            {
                Assert.Equal(AllreduceAlgorithm.TwoLevel, Selection.Allreduce(world.Size, 8, 2, commutative: true, world.Topology));
                Assert.Equal(AllreduceAlgorithm.RecursiveDoubling, Selection.Allreduce(world.Size, 8, 2, commutative: false, world.Topology));
            });
        }
        finally
        {
            CollectiveAlgorithms.Reset();
        }
    }

    /// <summary>Split communicators get their own groups (and contexts): the collectives on a split of a
    /// split placement still agree, and World's collectives after them too.</summary>
    [Fact]
    public void SplitCommunicatorsHaveTheirOwnGroups()
    {
        CollectiveAlgorithms.Override("allreduce", "two-level");
        try
        {
            Topologies([0, 0, 1, 1, 0, 1], ChannelPolicy.PerVm, world =>
            {
                var half = world.Split(world.Rank % 2, world.Rank)!;   // {0,2,4} in VMs 0,1,0 and {1,3,5} in 0,1,1
                var topology = half.Topology;
                if (topology.GroupCount != 2 || topology.LargestGroup != 2)
                    throw new XunitException($"rank {world.Rank}: {topology.GroupCount} groups, largest {topology.LargestGroup}");
                Assert.Equal(world.Rank % 2 == 0 ? 6 : 9, half.Allreduce(world.Rank, ReduceOp<int>.Sum));
                Assert.Equal(15, world.Allreduce(world.Rank, ReduceOp<int>.Sum));
                half.Barrier();
                Assert.Equal(15, world.Allreduce(world.Rank, ReduceOp<int>.Sum));
            });
        }
        finally
        {
            CollectiveAlgorithms.Reset();
        }
    }
}
