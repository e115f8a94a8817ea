using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Allgather: every rank's block of the message size lands, in rank order, everywhere.</summary>
internal sealed class AllgatherKernel(Communicator comm) : CollectiveKernel(comm)
{
    private byte[] _send = [], _receive = [];

    protected override void Allocate(int bytes)
    {
        _send = Buffer(bytes);
        _receive = Buffer((long)bytes * Comm.Size);
        Pattern.Fill(_send, Comm.Rank, Comm.Rank);
    }

    protected override void Call() => Comm.Allgather<byte>(_send, _receive);

    public override string? Verify()
    {
        _receive.AsSpan().Clear();
        Comm.Allgather<byte>(_send, _receive);
        for (int r = 0; r < Comm.Size; r++)
            if (CheckBlock(_receive.AsSpan(r * Bytes, Bytes), r, r, $"block from rank {r}") is { } error) return error;
        return null;
    }
}
