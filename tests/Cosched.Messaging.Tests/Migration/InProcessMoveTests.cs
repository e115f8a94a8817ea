using Cosched.Messaging.Tests.PointToPoint;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Tests.Migration;

/// <summary>The rank side of a move, driven in-process the way the launcher drives it: 4 ranks in
/// 4 VMs on 2 simulated hosts while VMs rotate between the hosts.</summary>
[Collection(JobCollection.Name)]
public sealed class InProcessMoveTests
{
    private static readonly int[] VmOfRank = [0, 1, 2, 3];

    /// <summary>Rotates the VMs (VM k mod 4 to the other host) every few milliseconds until told to stop.</summary>
    private static Action<InProcessMoves> Rotate(int moves, List<TimeSpan> times, ManualResetEventSlim done) => driver =>
    {
        try
        {
            for (int k = 0; k < moves; k++)
            {
                int vm = k % 4;
                times.Add(driver.Move(vm, 1 - driver.HostOfVm[vm]));
                Thread.Sleep(5);
            }
        }
        finally
        {
            done.Set();
        }
    };

    /// <summary>Runs rounds of <paramref name="round"/> until the moves are over, all ranks agreeing
    /// on the last round (an allreduce of "done"), then checks every channel against the hosts.</summary>
    private static void RunWhileMoving(int moves, Action<Communicator, int> round, ChannelPolicy policy = ChannelPolicy.Locality)
    {
        var done = new ManualResetEventSlim();
        var times = new List<TimeSpan>();
        int[] hosts = [0, 1, 0, 1];
        InProcessJob.Run(4, world =>
        {
            for (int i = 0; ; i++)
            {
                round(world, i);
                if (world.Allreduce(done.IsSet ? 1 : 0, ReduceOp<int>.Min) == 1) break;
            }
            // Every move finished with all ranks re-selected: the channels are what the hosts say.
            for (int peer = 0; peer < world.Size; peer++)
            {
                if (peer == world.Rank) continue;
                var expected = policy == ChannelPolicy.Locality && hosts[peer] == hosts[world.Rank] ? ChannelKind.ShmHost : ChannelKind.Tcp;
                Assert.Equal(expected, world.Engine.ChannelKindTo(peer));
            }
            // Within one agreement interval the communicator's shared-memory groups are the hosts' too.
            for (int k = 0; k < Communicator.TopologyCheckInterval; k++) world.Barrier();
            var groups = world.Topology.GroupOf;
            for (int a = 0; a < world.Size; a++)
                for (int b = 0; b < world.Size; b++)
                    Assert.Equal(a == b || (policy == ChannelPolicy.Locality && hosts[a] == hosts[b]), groups[a] == groups[b]);
        }, policy, TimeSpan.FromSeconds(60), null, VmOfRank, hosts, Rotate(moves, times, done));
        Assert.Equal(moves, times.Count);
    }

    [Fact]
    public void StormLosesNothingWhileVmsRotate()
    {
        int seed = 0;
        RunWhileMoving(12, (world, i) => Storm.Run(world, seed + i, 20, 3 * Jobs.Eager, _ => { }));
    }

    [Fact]
    public void CollectivesStayCorrectWhileVmsRotate()
    {
        RunWhileMoving(12, (world, i) =>
        {
            for (int step = 0; step < 20; step++)
            {
                int n = world.Size;
                var values = new long[64];
                for (int j = 0; j < values.Length; j++) values[j] = world.Rank * 1000 + j + i;
                var sums = new long[values.Length];
                world.Allreduce<long>(values, sums, ReduceOp<long>.Sum);
                for (int j = 0; j < values.Length; j++) Assert.Equal(n * (j + i) + 1000L * n * (n - 1) / 2, sums[j]);
                var root = (i + step) % n;
                var broadcast = world.Rank == root ? Jobs.Pattern(3000, i) : new byte[3000];
                world.Bcast<byte>(broadcast, root);
                Assert.Equal(Jobs.Pattern(3000, i), broadcast);
                world.Barrier();
                var gathered = new int[n];
                world.Allgather<int>([world.Rank + i], gathered);
                Assert.Equal(Enumerable.Range(0, n).Select(r => r + i), gathered);
                var blocks = Enumerable.Range(0, n).Select(r => world.Rank * 100 + r).ToArray();
                var exchanged = new int[n];
                world.Alltoall<int>(blocks, exchanged);
                Assert.Equal(Enumerable.Range(0, n).Select(r => r * 100 + world.Rank), exchanged);
            }
        });
    }

    [Fact]
    public void PerVmChannelsStayOnTheNetworkThroughMoves() =>
        RunWhileMoving(6, (world, i) => Storm.Run(world, i, 10, 2 * Jobs.Eager, _ => { }), ChannelPolicy.PerVm);
}
