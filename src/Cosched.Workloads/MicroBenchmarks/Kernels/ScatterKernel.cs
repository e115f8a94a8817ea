using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Scatter: root 0 sends each rank its own block of the message size.</summary>
internal sealed class ScatterKernel(Communicator comm) : CollectiveKernel(comm)
{
    private byte[] _send = [], _receive = [];

    protected override void Allocate(int bytes)
    {
        _send = Buffer((long)bytes * Comm.Size);
        _receive = Buffer(bytes);
        FillBlocks(0);
    }

    private void FillBlocks(int root)
    {
        for (int r = 0; r < Comm.Size; r++) Pattern.Fill(_send.AsSpan(r * Bytes, Bytes), root, r);
    }

    protected override void Call() => Comm.Scatter<byte>(_send, _receive, 0);

    public override string? Verify()
    {
        foreach (int root in VerifyRoots)
        {
            if (Comm.Rank == root) FillBlocks(root);
            _receive.AsSpan().Clear();
            Comm.Scatter<byte>(_send, _receive, root);
            if (CheckBlock(_receive, root, Comm.Rank, $"block from root {root}") is { } error) return error;
        }
        FillBlocks(0);
        return null;
    }
}
