using System.Diagnostics;
using System.Globalization;
using Cosched.Messaging.Protocol;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Migration;

/// <summary>A rank's side of a move (pscom's part in FAST's protocol): runs the launcher's commands
/// one after another inside the rank's own progress calls, so a rank computing outside the runtime
/// takes part when it next enters it. Each command is answered once this rank's share is done:
/// every channel it had to switch has sent its marker and read the peer's.</summary>
internal sealed class MigrationAgent(Engine engine, IControlLink link)
{
    private volatile bool _arrived = true;
    private Pending? _pending;
    private readonly List<string> _moves = new();

    public IControlLink Link => link;

    /// <summary>True when a command waits or one is under way: the engine then calls <see cref="Step"/>.</summary>
    public bool HasWork => _arrived || _pending != null;

    /// <summary>A command arrived that has not been looked at (a waiting one is not: it waits for
    /// peers, whose frames wake a sleeping rank).</summary>
    public bool HasNewCommand => _arrived;

    /// <summary>Number of moves whose channel re-selection this rank finished: communicators rebuild
    /// their shared-memory groups once every rank reached the same number (see Communicator.Topology).</summary>
    public int TopologyEpoch { get; private set; }

    /// <summary>The host this rank's VM is on now (-1: not told).</summary>
    public int Host { get; set; } = -1;

    /// <summary>The finished moves' records (JSON lines, as the launcher sent them).</summary>
    public IReadOnlyList<string> Moves
    {
        get { lock (_moves) return _moves.ToArray(); }
    }

    /// <summary>A command that waits says every second what each channel waits for (COSCHED_TRACE_MOVES).</summary>
    public bool Trace { get; init; }

    /// <summary>Called after each re-selection (--report-bindings prints the channels again).</summary>
    public Action? Reselected { get; set; }

    /// <summary>The link's thread saw a command: look at it on the next progress call.</summary>
    public void Signal() => _arrived = true;

    /// <summary>Advances the current command or starts the next; true if anything changed.</summary>
    public bool Step()
    {
        bool changed = false;
        while (true)
        {
            if (_pending != null)
            {
                if (!_pending.IsDone(engine)) return changed;
                link.Send(_pending.Answer());
                _pending = null;
                changed = true;
            }
            _arrived = false;
            if (!link.TryReceive(out var line)) return changed;
            _pending = Start(line);
            changed = true;
        }
    }

    private Pending? Start(string line)
    {
        var words = line.Split(' ', 3);
        if (words.Length < 2) return null;
        string move = words[1];
        switch (words[0])
        {
            case ControlWords.Suspend when words.Length == 3:
            {
                var lists = words[2].Split(' ');
                var moving = ControlWords.ParseRanks(lists[0]);
                var gone = lists.Length > 1 ? ControlWords.ParseRanks(lists[1]) : [];
                engine.LongestSwitchTicks = 0;
                bool mine = moving.Contains(engine.Rank);
                // Only the host segment cannot move; a VM's own segment goes with it.
                foreach (var peer in engine.Peers)
                    if (!gone.Contains(peer.WorldRank) && (mine || moving.Contains(peer.WorldRank)) && UsesHostSegment(peer))
                        engine.RequestSwitch(peer.WorldRank, ChannelKind.Tcp);
                // A moving rank leaves the host segment now, before its VM does: a QEMU guest's
                // ivshmem device is unplugged next, and a BAR still mapped as it goes corrupts the guest.
                return new Pending(gone, WaitForHostSegment: mine, () =>
                {
                    if (mine) SwapHostSegment(null);
                    return $"{ControlWords.Suspended} {move}";
                });
            }
            case ControlWords.Attach when words.Length == 3:
                // Detach only once no channel uses the old host segment any more.
                return new Pending([], WaitForHostSegment: true, () =>
                {
                    Attach(words[2]);
                    return $"{ControlWords.Attached} {move}";
                });
            case ControlWords.Reselect:
            {
                var gone = words.Length == 3 ? ControlWords.ParseRanks(words[2]) : [];
                foreach (var peer in engine.Peers)
                    if (!gone.Contains(peer.WorldRank)) engine.RequestSwitch(peer.WorldRank, engine.Factory!.Desired(peer.WorldRank));
                return new Pending(gone, WaitForHostSegment: false, () =>
                {
                    TopologyEpoch++;
                    Reselected?.Invoke();
                    long micros = engine.LongestSwitchTicks * 1_000_000 / Stopwatch.Frequency;
                    return $"{ControlWords.Reselected} {move} {micros.ToString(CultureInfo.InvariantCulture)}";
                });
            }
            case ControlWords.Share when words.Length == 3:
            {
                // After a move a rank may share its core with the peer it waits for: spinning would
                // only keep that peer off the core (a whole time slice per message).
                var counts = words[2].Split(' ');
                if (counts.Length == 2 && int.TryParse(counts[0], out int ranks) && int.TryParse(counts[1], out int cores))
                    engine.SpinTicks = Backoff.SpinTicksFor(ranks, cores);
                return null;
            }
            case ControlWords.Done when words.Length == 3:
                lock (_moves) _moves.Add(words[2]);
                return null;
            default:
                return null; // a word of a later protocol: not ours to answer
        }
    }

    private static bool UsesHostSegment(Peer peer)
    {
        if (peer.Target == ChannelKind.ShmHost) return true;
        for (int i = 0; i < peer.EpochCount; i++)
            if (peer.EpochChannel(i).Kind == ChannelKind.ShmHost) return true;
        return false;
    }

    /// <summary>Leaves the old host segment and joins the one at <paramref name="where"/> ("path host").</summary>
    private void Attach(string where)
    {
        var parts = where.Split(' ');
        if (parts.Length > 1 && int.TryParse(parts[1], out int host)) Host = host;
        ShmSegment? next = null;
        if (parts[0] != "-")
        {
            try
            {
                next = ShmSegment.Open(parts[0]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // The rank goes on without co-located peers: every channel stays on the network.
                Console.Error.WriteLine($"cosched: rank {engine.Rank} cannot attach the host segment {parts[0]}: {e.Message}");
            }
        }
        SwapHostSegment(next);
    }

    /// <summary>Unmaps the host segment in use (if any) and maps <paramref name="next"/> (if any).</summary>
    private void SwapHostSegment(ShmSegment? next)
    {
        var factory = engine.Factory!;
        // The launcher link's thread may ring the doorbell any time: it must not be in the segment being unmapped.
        engine.Waiter.Doorbell = default;
        factory.AttachHostSegment(next);
        engine.Waiter.Doorbell = factory.Doorbells?.DoorbellOf(engine.Rank) ?? default;
    }

    /// <summary>A command whose <paramref name="Answer"/> (which also finishes its work) runs once no
    /// live peer's channel is switching.</summary>
    private sealed record Pending(HashSet<int> Gone, bool WaitForHostSegment, Func<string> Answer)
    {

        private long _reported = Stopwatch.GetTimestamp();

        public bool IsDone(Engine engine)
        {
            if (engine.Agent is { Trace: true } && Stopwatch.GetElapsedTime(_reported) > TimeSpan.FromSeconds(1))
            {
                _reported = Stopwatch.GetTimestamp();
                foreach (var peer in engine.Peers) Console.Error.WriteLine($"cosched: rank {engine.Rank} waits: {peer.DescribeSwitch()}");
            }
            foreach (var peer in engine.Peers)
            {
                if (Gone.Contains(peer.WorldRank)) continue;
                if (peer.Switching || (WaitForHostSegment && UsesHostSegment(peer))) return false;
            }
            return true;
        }
    }
}
