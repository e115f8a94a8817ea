using System.Text;
using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>The harness's own traffic (repetition counts, timings, errors): plain point-to-point
/// through rank 0 on a duplicate of the benchmark's communicator, so that it never mixes with the
/// messages being measured and does not rely on the collectives under test.</summary>
internal sealed class ControlChannel
{
    private const int Tag = 7;
    private readonly Communicator _comm;

    public ControlChannel(Communicator comm) => _comm = comm.Dup();

    public int Rank => _comm.Rank;
    public int Size => _comm.Size;

    /// <summary>Every rank's values, concatenated in rank order, on rank 0; null elsewhere.</summary>
    public double[]? Gather(ReadOnlySpan<double> mine)
    {
        if (_comm.Rank != 0)
        {
            _comm.Send(mine, 0, Tag);
            return null;
        }
        var all = new double[mine.Length * _comm.Size];
        mine.CopyTo(all);
        for (int r = 1; r < _comm.Size; r++) _comm.Recv(all.AsSpan(r * mine.Length, mine.Length), r, Tag);
        return all;
    }

    /// <summary>Rank 0's value, on every rank.</summary>
    public T Broadcast<T>(T value) where T : unmanaged
    {
        if (_comm.Rank == 0)
        {
            for (int r = 1; r < _comm.Size; r++) _comm.Send(value, r, Tag);
            return value;
        }
        return _comm.Recv<T>(0, Tag);
    }

    /// <summary>The largest value over all ranks (NaN counts as not taking part), on every rank.</summary>
    public double Max(double mine)
    {
        var all = Gather([mine]);
        double max = 0;
        if (all != null)
            foreach (var v in all)
                if (!double.IsNaN(v)) max = Math.Max(max, v);
        return Broadcast(max);
    }

    /// <summary>Every rank's text, on rank 0; null elsewhere.</summary>
    public string[]? GatherText(string mine)
    {
        var bytes = Encoding.UTF8.GetBytes(mine);
        if (_comm.Rank != 0)
        {
            _comm.Send<byte>(bytes, 0, Tag);
            return null;
        }
        var all = new string[_comm.Size];
        all[0] = mine;
        for (int r = 1; r < _comm.Size; r++)
        {
            var status = _comm.Probe(r, Tag);
            var buffer = new byte[status.Count];
            _comm.Recv<byte>(buffer, r, Tag);
            all[r] = Encoding.UTF8.GetString(buffer);
        }
        return all;
    }

    /// <summary>Rank 0's text, on every rank.</summary>
    public string BroadcastText(string text)
    {
        if (_comm.Rank == 0)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (int r = 1; r < _comm.Size; r++) _comm.Send<byte>(bytes, r, Tag);
            return text;
        }
        var status = _comm.Probe(0, Tag);
        var buffer = new byte[status.Count];
        _comm.Recv<byte>(buffer, 0, Tag);
        return Encoding.UTF8.GetString(buffer);
    }
}
