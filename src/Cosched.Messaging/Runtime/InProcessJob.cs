using Cosched.Messaging.Migration;
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

    internal static void Run(int ranks, Action<Communicator> body, ChannelPolicy policy, TimeSpan? timeout, Action<string[]>? onCardsPublished) =>
        Run(ranks, body, policy, timeout, onCardsPublished, vmOfRank: null);

    /// <param name="vmOfRank">The "VM" of each rank (tests of topology-aware collectives): ranks of one VM
    /// share a segment, and under the locality policy all of them share a host segment too, as in
    /// <c>cosched run --vms</c>; null puts every rank in one segment.</param>
    internal static void Run(int ranks, Action<Communicator> body, ChannelPolicy policy, TimeSpan? timeout, Action<string[]>? onCardsPublished,
        int[]? vmOfRank) => Run(ranks, body, policy, timeout, onCardsPublished, vmOfRank, hostOfVm: null, moves: null);

    /// <param name="hostOfVm">The simulated host each VM starts on (null: all on one): each host has
    /// its own host segment, so ranks on different hosts talk over tcp.</param>
    /// <param name="moves">Runs on a thread of its own while the ranks run, moving VMs as the launcher
    /// would (the ranks answer its commands whenever they are in the runtime).</param>
    internal static void Run(int ranks, Action<Communicator> body, ChannelPolicy policy, TimeSpan? timeout, Action<string[]>? onCardsPublished,
        int[]? vmOfRank, int[]? hostOfVm, Action<InProcessMoves>? moves)
    {
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), "a job needs at least one rank");
        if (vmOfRank != null && (vmOfRank.Length != ranks || vmOfRank.Any(vm => vm < 0)))
            throw new ArgumentException("vmOfRank needs one VM number (0 or more) per rank", nameof(vmOfRank));
        string path = $"/dev/shm/cosched-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var secret = JobIdentity.NewSecret();
        var bootstrap = new InMemoryBootstrap(ranks, onCardsPublished);
        var sessions = new RankSession?[ranks];
        var errors = new Exception?[ranks];
        using var creator = ShmSegment.Create(path, ranks, SegmentRingBytes);
        int vms = vmOfRank == null ? 0 : vmOfRank.Max() + 1;
        var vmPaths = Enumerable.Range(0, vms).Select(vm => $"{path}-vm{vm}").ToArray();
        var vmSegments = vmPaths.Select(p => ShmSegment.Create(p, ranks, SegmentRingBytes)).ToArray();
        hostOfVm ??= new int[vms];
        // Host 0's segment is the job's first one; the other hosts get theirs.
        string HostPath(int host) => host == 0 ? path : $"{path}-host{host}";
        var otherHosts = Enumerable.Range(1, Math.Max(0, hostOfVm.DefaultIfEmpty(0).Max())).Select(h => ShmSegment.Create(HostPath(h), ranks, SegmentRingBytes)).ToArray();
        var links = moves == null ? null : Enumerable.Range(0, ranks).Select(_ => new InMemoryControlLink()).ToArray();
        Thread? mover = null;
        Exception? moverError = null;
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
                        var job = vmOfRank == null ? new JobSettings(rank, ranks, secret, policy, path)
                            : new JobSettings(rank, ranks, secret, policy, vmPaths[vmOfRank[rank]])
                            {
                                HostSegmentPath = policy == ChannelPolicy.Locality ? HostPath(hostOfVm[vmOfRank[rank]]) : null,
                                Host = hostOfVm[vmOfRank[rank]],
                                Migratable = moves != null,
                            };
                        sessions[rank] = RankSession.Join(job, bootstrap.ForRank(rank), links?[rank]);
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
            if (moves != null)
            {
                var driver = new InProcessMoves(vmOfRank!, hostOfVm, links!, HostPath);
                mover = new Thread(() =>
                {
                    try { moves(driver); }
                    catch (Exception e) { moverError = e; }
                }) { Name = "in-process moves", IsBackground = true };
                mover.Start();
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
            mover?.Join(TimeSpan.FromSeconds(15));
            File.Delete(path);
            foreach (var segment in otherHosts)
            {
                File.Delete(segment.Path);
                segment.Dispose();
            }
            foreach (var segment in vmSegments) segment.Dispose();
            foreach (var vmPath in vmPaths) File.Delete(vmPath);
        }
        // Report the rank that failed first on its own, not the ones its abort took down.
        var first = Array.Find(errors, e => e is not null and not JobAbortedException) ?? Array.Find(errors, e => e != null);
        if (first != null) throw new AggregateException($"in-process job failed: {first.Message}", first);
        if (moverError != null) throw new AggregateException($"in-process moves failed: {moverError.Message}", moverError);
    }

    /// <summary>Ring size of in-process segments; small by default so tests exercise wrap-around.</summary>
    public static int SegmentRingBytes { get; set; } = ShmSegment.DefaultRingBytes;

    private static TimeSpan Max(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}
