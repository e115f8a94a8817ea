using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Gather: every rank's block of the message size lands, in rank order, at root 0.</summary>
internal sealed class GatherKernel(Communicator comm) : CollectiveKernel(comm)
{
    private byte[] _send = [], _receive = [];

    protected override void Allocate(int bytes)
    {
        _send = Buffer(bytes);
        _receive = Buffer((long)bytes * Comm.Size);
        Pattern.Fill(_send, Comm.Rank, 0);
    }

    protected override void Call() => Comm.Gather<byte>(_send, _receive, 0);

    public override string? Verify()
    {
        foreach (int root in VerifyRoots)
        {
            Pattern.Fill(_send, Comm.Rank, root);
            _receive.AsSpan().Clear();
            Comm.Gather<byte>(_send, _receive, root);
            if (Comm.Rank != root) continue;
            for (int r = 0; r < Comm.Size; r++)
                if (CheckBlock(_receive.AsSpan(r * Bytes, Bytes), r, root, $"block from rank {r} at root {root}") is { } error) return error;
        }
        Pattern.Fill(_send, Comm.Rank, 0);
        return null;
    }
}
