using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Bcast: root 0 broadcasts its buffer; the others receive into theirs.</summary>
internal sealed class BcastKernel(Communicator comm) : CollectiveKernel(comm)
{
    private byte[] _buffer = [];

    protected override void Allocate(int bytes)
    {
        _buffer = Buffer(bytes);
        if (Comm.Rank == 0) Pattern.Fill(_buffer, 0, 0);
    }

    protected override void Call() => Comm.Bcast<byte>(_buffer, 0);

    public override string? Verify()
    {
        foreach (int root in VerifyRoots)
        {
            if (Comm.Rank == root) Pattern.Fill(_buffer, root, root);
            else _buffer.AsSpan().Clear();
            Comm.Bcast<byte>(_buffer, root);
            if (CheckBlock(_buffer, root, root, $"broadcast from root {root}") is { } error) return error;
        }
        return null;
    }
}
