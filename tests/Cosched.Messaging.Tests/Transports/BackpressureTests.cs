using System.Diagnostics;
using Cosched.Messaging.Tests.PointToPoint;
using Xunit.Abstractions;

namespace Cosched.Messaging.Tests.Transports;

/// <summary>A sender whose ring (or socket) to a peer is full waits like any other waiting rank:
/// it backs off to sleep instead of spinning, it resumes when the peer drains, and it notices when
/// the job is aborted.</summary>
[Collection(JobCollection.Name)]
public class BackpressureTests(ITestOutputHelper output)
{
    /// <summary>CPU time (user + system) of the calling thread so far.</summary>
    private static TimeSpan ThreadCpuTime()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15)
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void ASenderBlockedOnAFullChannelSleeps(ChannelPolicy policy)
    {
        // Far more than a ring (256 KiB) or a loopback socket buffer holds.
        int messages = policy == ChannelPolicy.Network ? 4000 : 200;
        TimeSpan cpu = default, wall = default;
        Jobs.Run(2, world =>
        {
            if (world.Rank == 0)
            {
                var data = Jobs.Pattern(Jobs.Eager, 1);
                var clock = Stopwatch.StartNew();
                var before = ThreadCpuTime();
                for (int i = 0; i < messages; i++) world.Send<byte>(data, 1, 0);
                cpu = ThreadCpuTime() - before;
                wall = clock.Elapsed;
                return;
            }
            Thread.Sleep(1000); // not receiving: the sender fills the channel and must wait
            var buffer = new byte[Jobs.Eager];
            for (int i = 0; i < messages; i++) world.Recv<byte>(buffer, 0, 0);
        }, policy);
        output.WriteLine($"{policy}: sender blocked {wall.TotalMilliseconds:F0} ms, used {cpu.TotalMilliseconds:F0} ms of CPU");
        Assert.True(wall > TimeSpan.FromMilliseconds(800), "the sender never blocked");
        Assert.True(cpu < wall * 0.2, $"a sender waiting {wall.TotalMilliseconds:F0} ms for channel space burnt {cpu.TotalMilliseconds:F0} ms of CPU");
    }

    [Theory]
    [MemberData(nameof(Jobs.Policies), MemberType = typeof(Jobs))]
    public void ASenderBlockedOnAFullChannelSeesTheJobAbort(ChannelPolicy policy)
    {
        // Rank 1 fails without receiving; rank 0 is stuck sending to it and must be told, at once,
        // not when the job times out.
        int messages = policy == ChannelPolicy.Network ? 100_000 : 1000;
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<AggregateException>(() => Jobs.Run(2, world =>
        {
            if (world.Rank == 1)
            {
                Thread.Sleep(200);
                throw new InvalidOperationException("rank 1 gives up");
            }
            var data = Jobs.Pattern(Jobs.Eager, 1);
            for (int i = 0; i < messages; i++) world.Send<byte>(data, 1, 0);
        }, policy, timeoutSeconds: 20));
        // On tcp rank 0 may fail first on its own (the peer closed the connection); either way the
        // job reports a rank's real error, not a timeout.
        Assert.IsNotType<TimeoutException>(error.InnerException);
        if (policy == ChannelPolicy.Locality) Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the job took {clock.Elapsed.TotalSeconds:F1} s to fail");
    }
}
