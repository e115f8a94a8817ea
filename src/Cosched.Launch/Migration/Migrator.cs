using System.Diagnostics;
using System.Globalization;
using Cosched.Domains;
using Cosched.Messaging.Migration;

namespace Cosched.Launch;

/// <summary>The launcher's side of a move (migfra's part in FAST's protocol), one move at a time:
/// (1) SUSPEND to every rank: shm-host channels that touch the moving VM go to tcp and drain;
/// (2) the provider moves the VM's cores and host segment, the launcher re-pins its ranks;
/// (3) ATTACH to the VM's ranks: they map the destination's host segment; (4) RESELECT to every
/// rank: each pair gets the channel the one rule gives it now; (5) DONE with the move's record.
/// Each phase waits for the answer of every live rank; a rank that leaves (LEFT, or its connection
/// ends) is no longer waited for.</summary>
internal sealed class Migrator
{
    /// <summary>How long a requester waits for a move; after that it hears which ranks the move
    /// still waits for, and the move goes on until they answer. COSCHED_MOVE_DEADLINE_S overrides it (tests).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("COSCHED_MOVE_DEADLINE_S"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 10);

    private readonly VirtualMachines _vms;
    private readonly string?[] _hostSegments;
    private readonly Action<int, string> _send;
    private readonly Func<Placement, int, int[]> _coresOf;
    private readonly Action<int, int[]> _repin;
    private readonly object _gate = new();
    private readonly HashSet<int> _gone = new();
    private readonly HashSet<int> _waitingFor = new();
    private string _expected = "";
    private int _moves;
    private long _longestWaitMicros;
    private Task<MoveRecord>? _running;
    private bool _finished;
    private long _clockStart = Stopwatch.GetTimestamp();

    /// <param name="hostSegments">Each host's segment file on the host (null entries: none).</param>
    /// <param name="send">Sends a line to a rank.</param>
    /// <param name="coresOf">The cores a rank may run on in a placement (its own, or its VM's).</param>
    /// <param name="repin">Pins a rank's threads to the cores given.</param>
    public Migrator(Placement placement, VirtualMachines vms, string?[] hostSegments, Action<int, string> send,
        Func<Placement, int, int[]> coresOf, Action<int, int[]> repin)
    {
        _coresOf = coresOf;
        Placement = placement;
        _vms = vms;
        _hostSegments = hostSegments;
        _send = send;
        _repin = repin;
    }

    /// <summary>Where every VM is now.</summary>
    public Placement Placement { get; private set; }

    /// <summary>Raised after each completed move (on the move's thread).</summary>
    public event Action<MoveRecord>? Moved;

    /// <summary>Moves and the clock that --migrate AT and each record's at_s count from.</summary>
    public void StartClock() => _clockStart = Stopwatch.GetTimestamp();

    /// <summary>Moves VM <paramref name="vm"/> to <paramref name="host"/> and returns its record.
    /// Throws MoveRefusedException for a move that cannot be made, TimeoutException (with the ranks
    /// it waits for) when it did not complete within <paramref name="deadline"/>.</summary>
    public MoveRecord Move(int vm, int host, TimeSpan? deadline = null)
    {
        Task<MoveRecord> move;
        lock (_gate)
        {
            if (_finished) throw new MoveRefusedException("the job has finished");
            if (_running is { IsCompleted: false }) throw new MoveRefusedException($"move {_moves} is already running ({WaitingText()})");
            if (vm < 0 || vm >= Placement.Vms) throw new MoveRefusedException($"VM {vm} does not exist (the job's VMs are 0..{Placement.Vms - 1})");
            if (host < 0 || host >= Placement.Hosts) throw new MoveRefusedException($"host {host} does not exist (the job's hosts are 0..{Placement.Hosts - 1})");
            if (Placement.HostOfVm[vm] == host) throw new MoveRefusedException($"VM {vm} is already on host {host}");
            if (Placement.RanksOf(vm).All(_gone.Contains)) throw new MoveRefusedException($"the ranks of VM {vm} have finished");
            int number = ++_moves;
            _running = move = Task.Factory.StartNew(() => Run(number, vm, host), TaskCreationOptions.LongRunning);
        }
        try
        {
            if (move.Wait(deadline ?? Deadline)) return move.Result;
        }
        catch (AggregateException e) when (e.InnerException is MoveRefusedException or DomainException)
        {
            throw new MoveRefusedException(e.InnerException.Message);
        }
        lock (_gate)
            throw new TimeoutException($"move {_moves} of VM {vm} to host {host} did not complete within {(deadline ?? Deadline).TotalSeconds:0.#} s: {WaitingText()}; the job goes on and the move completes when they answer");
    }

    /// <summary>A line from rank <paramref name="rank"/> (null: its connection ended).</summary>
    public void OnLine(int rank, string? line)
    {
        lock (_gate)
        {
            if (line == null || line == ControlWords.Left)
            {
                _gone.Add(rank);
                _waitingFor.Remove(rank);
            }
            else
            {
                var words = line.Split(' ');
                if (words.Length < 2 || words[0] != _expected || words[1] != _moves.ToString(CultureInfo.InvariantCulture)) return;
                if (words[0] == ControlWords.Reselected && words.Length > 2 && long.TryParse(words[2], out long micros))
                    _longestWaitMicros = Math.Max(_longestWaitMicros, micros);
                _waitingFor.Remove(rank);
            }
            if (_waitingFor.Count == 0) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The job is over: no more moves; a move under way stops waiting.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            Monitor.PulseAll(_gate);
        }
        try { _running?.Wait(TimeSpan.FromSeconds(2)); }
        catch (AggregateException) { }
    }

    private MoveRecord Run(int move, int vm, int host)
    {
        var clock = Stopwatch.StartNew();
        double at = Stopwatch.GetElapsedTime(_clockStart).TotalSeconds;
        int from = Placement.HostOfVm[vm];
        var moving = Placement.RanksOf(vm).ToArray();
        var all = Enumerable.Range(0, Placement.Ranks).ToArray();
        lock (_gate) _longestWaitMicros = 0;

        Phase(all, ControlWords.Suspended, gone => $"{ControlWords.Suspend} {move} {ControlWords.FormatRanks(moving)} {ControlWords.FormatRanks(gone)}");
        double suspend = Lap(clock);

        var placement = Placement.WithVmOn(vm, host);
        string whatMoved;
        try
        {
            whatMoved = _vms.MoveVm(vm, placement.CoresOfVm[vm], _hostSegments[host]);
        }
        catch (Exception e) when (e is DomainException or IOException or UnauthorizedAccessException)
        {
            // The VM stays where it was: its pairs go back to the channels the rule gives them there.
            Phase(all, ControlWords.Reselected, gone => $"{ControlWords.Reselect} {move} {ControlWords.FormatRanks(gone)}");
            throw new MoveRefusedException($"move {move} failed, VM {vm} stays on host {from}: {e.Message}");
        }
        foreach (int r in moving) _repin(r, _coresOf(placement, r));
        Placement = placement;
        // At once, not after the move: a rank that now shares its core with the peer it waits for
        // must stop spinning before the next message, or each one costs a time slice.
        foreach (int r in all)
        {
            var (ranks, cores) = Contention(placement, r);
            _send(r, $"{ControlWords.Share} {move} {ranks} {cores}");
        }
        double moved = Lap(clock) - suspend;

        var segment = _vms.HostSegmentInVm(vm) ?? "-";
        Phase(moving, ControlWords.Attached, _ => $"{ControlWords.Attach} {move} {segment} {host}");
        double attach = Lap(clock) - suspend - moved;

        Phase(all, ControlWords.Reselected, gone => $"{ControlWords.Reselect} {move} {ControlWords.FormatRanks(gone)}");
        double total = Lap(clock);
        MoveRecord record;
        lock (_gate)
            record = new MoveRecord
            {
                Move = move, Vm = vm, From = from, To = host, AtSeconds = Math.Round(at, 6),
                SuspendMs = Round(suspend), MoveMs = Round(moved), AttachMs = Round(attach), ReselectMs = Round(total - suspend - moved - attach),
                TotalMs = Round(total), LongestWaitMs = Round(_longestWaitMicros / 1000.0), WhatMoved = whatMoved, Qemu = _vms.LastMigration,
            };
        var done = $"{ControlWords.Done} {move} {record.ToJson()}";
        foreach (int r in all) _send(r, done);
        Moved?.Invoke(record);
        return record;
    }

    /// <summary>Sends the phase's command to every live rank of <paramref name="ranks"/> and waits for
    /// each one's <paramref name="answer"/> (or its leaving, or the end of the job).</summary>
    private void Phase(int[] ranks, string answer, Func<IReadOnlyCollection<int>, string> command)
    {
        int[] live;
        string line;
        lock (_gate)
        {
            _expected = answer;
            live = ranks.Where(r => !_gone.Contains(r)).ToArray();
            _waitingFor.Clear();
            _waitingFor.UnionWith(live);
            line = command(_gone.ToArray());
        }
        foreach (int r in live) _send(r, line);
        lock (_gate)
        {
            while (_waitingFor.Count > 0 && !_finished) Monitor.Wait(_gate);
            if (_finished) throw new MoveRefusedException("the job finished during the move");
        }
    }

    /// <summary>How many ranks may run on rank <paramref name="rank"/>'s cores (itself included), and how many cores it has.</summary>
    private (int Ranks, int Cores) Contention(Placement placement, int rank)
    {
        var mine = _coresOf(placement, rank);
        int ranks = Enumerable.Range(0, placement.Ranks).Count(r => !_gone.Contains(r) && _coresOf(placement, r).Intersect(mine).Any());
        return (ranks, mine.Length);
    }

    private string WaitingText() =>
        _waitingFor.Count == 0 ? "waiting for no rank" : $"waiting for {(_waitingFor.Count == 1 ? "rank" : "ranks")} {string.Join(',', _waitingFor.Order())} to answer {_expected}";

    private static double Lap(Stopwatch clock) => clock.Elapsed.TotalMilliseconds;
    private static double Round(double ms) => Math.Round(ms, 3);
}
