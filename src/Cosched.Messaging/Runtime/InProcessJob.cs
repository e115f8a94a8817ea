using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

/// <summary>Runs a job's ranks as threads of this process, on the real transports (a shared-memory
/// segment in /dev/shm, or loopback tcp). Made for tests and for trying code without the launcher.</summary>
public static class InProcessJob
{
    /// <summary>Runs <paramref name="body"/> on <paramref name="ranks"/> ranks; rethrows the first
    /// failure. A failing rank aborts the others, so a broken test never hangs.</summary>
    public static void Run(int ranks, Action<Communicator> body, ChannelPolicy policy = ChannelPolicy.Locality, TimeSpan? timeout = null) =>
        Run(ranks, body, policy, timeout, onCardsPublished: null);

    internal static void Run(int ranks, Action<Communicator> body, ChannelPolicy policy, TimeSpan? timeout, Action<string[]>? onCardsPublished)
    {
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), "a job needs at least one rank");
        string path = $"/dev/shm/cosched-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var bootstrap = new InMemoryBootstrap(ranks, onCardsPublished);
        var sessions = new RankSession?[ranks];
        var errors = new Exception?[ranks];
        using var creator = ShmSegment.Create(path, ranks, SegmentRingBytes);
        try
        {
            var threads = new Thread[ranks];
            for (int r = 0; r < ranks; r++)
            {
                int rank = r;
                threads[r] = new Thread(() =>
                {
                    try
                    {
                        var job = new JobSettings(rank, ranks, secret, policy, path);
                        sessions[rank] = RankSession.Join(job, bootstrap.ForRank(rank));
                        body(sessions[rank]!.World);
                        sessions[rank]!.Dispose();
                    }
                    catch (Exception e)
                    {
                        errors[rank] = e;
                        var abort = new JobAbortedException($"rank {rank} failed: {e.Message}");
                        foreach (var s in sessions) s?.Engine.Abort(abort);
                        sessions[rank]?.Engine.Dispose();
                    }
                }) { Name = $"rank {rank}", IsBackground = true };
                threads[r].Start();
            }
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
            for (int r = 0; r < ranks; r++)
            {
                if (!threads[r].Join(Max(deadline - DateTime.UtcNow)))
                {
                    var abort = new JobAbortedException("in-process job timed out");
                    foreach (var s in sessions) s?.Engine.Abort(abort);
                    foreach (var t in threads) t.Join(TimeSpan.FromSeconds(5));
                    throw new TimeoutException($"in-process job of {ranks} ranks did not finish in time (rank {r} still running)");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        // Report the rank that failed first on its own, not the ones its abort took down.
        var first = Array.Find(errors, e => e is not null and not JobAbortedException) ?? Array.Find(errors, e => e != null);
        if (first != null) throw new AggregateException($"in-process job failed: {first.Message}", first);
    }

    /// <summary>Ring size of in-process segments; small by default so tests exercise wrap-around.</summary>
    public static int SegmentRingBytes { get; set; } = ShmSegment.DefaultRingBytes;

    private static TimeSpan Max(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}
