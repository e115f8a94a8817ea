using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Alltoall: every rank sends a distinct block of the message size to every rank.</summary>
internal sealed class AlltoallKernel(Communicator comm) : CollectiveKernel(comm)
{
    private byte[] _send = [], _receive = [];

    protected override void Allocate(int bytes)
    {
        _send = Buffer((long)bytes * Comm.Size);
        _receive = Buffer((long)bytes * Comm.Size);
        for (int r = 0; r < Comm.Size; r++) Pattern.Fill(_send.AsSpan(r * bytes, bytes), Comm.Rank, r);
    }

    protected override void Call() => Comm.Alltoall<byte>(_send, _receive);

    public override string? Verify()
    {
        _receive.AsSpan().Clear();
        Comm.Alltoall<byte>(_send, _receive);
        for (int r = 0; r < Comm.Size; r++)
            if (CheckBlock(_receive.AsSpan(r * Bytes, Bytes), r, Comm.Rank, $"block from rank {r}") is { } error) return error;
        return null;
    }
}
