using System.Diagnostics;
using Cosched.Messaging.Migration;

namespace Cosched.Messaging;

/// <summary>The launcher's side of moves for an in-process job whose ranks sit in VMs on simulated
/// hosts: the same commands, in the same order, as `cosched migrate` sends (tests of the rank side).</summary>
internal sealed class InProcessMoves
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly int[] _vmOfRank;
    private readonly Func<int, string> _hostSegment;
    private readonly HashSet<int> _gone = new();
    private int _moves;

    public InProcessMoves(int[] vmOfRank, int[] hostOfVm, InMemoryControlLink[] links, Func<int, string> hostSegment)
    {
        _vmOfRank = vmOfRank;
        HostOfVm = hostOfVm;
        Links = links;
        _hostSegment = hostSegment;
    }

    public int[] HostOfVm { get; }
    public InMemoryControlLink[] Links { get; }

    /// <summary>Moves <paramref name="vm"/> to <paramref name="host"/>; returns the total time. Throws
    /// TimeoutException when a live rank does not answer a phase within 10 s.</summary>
    public TimeSpan Move(int vm, int host)
    {
        var clock = Stopwatch.StartNew();
        int move = ++_moves;
        var moving = Enumerable.Range(0, _vmOfRank.Length).Where(r => _vmOfRank[r] == vm).ToArray();
        var all = Enumerable.Range(0, _vmOfRank.Length).ToArray();
        Phase(all, $"{ControlWords.Suspend} {move} {ControlWords.FormatRanks(moving)} {ControlWords.FormatRanks(_gone)}", ControlWords.Suspended, move);
        HostOfVm[vm] = host;
        Phase(moving, $"{ControlWords.Attach} {move} {_hostSegment(host)} {host}", ControlWords.Attached, move);
        Phase(all, $"{ControlWords.Reselect} {move} {ControlWords.FormatRanks(_gone)}", ControlWords.Reselected, move);
        return clock.Elapsed;
    }

    /// <summary>Sends <paramref name="command"/> and waits for "<paramref name="answer"/> move ..." from every live rank.</summary>
    private void Phase(int[] ranks, string command, string answer, int move)
    {
        var live = ranks.Where(r => !_gone.Contains(r)).ToArray();
        foreach (int r in live) Links[r].Post(command);
        var deadline = DateTime.UtcNow + Deadline;
        foreach (int r in live)
        {
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left < TimeSpan.Zero || !Links[r].Answers.TryTake(out var line, left))
                    throw new TimeoutException($"rank {r} did not answer '{command}' within {Deadline.TotalSeconds} s");
                if (line == ControlWords.Left)
                {
                    _gone.Add(r);
                    break;
                }
                var words = line.Split(' ');
                if (words.Length >= 2 && words[0] == answer && words[1] == move.ToString()) break;
            }
        }
    }
}
