using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Reduce: a float sum of every rank's vector, delivered to root 0.</summary>
internal sealed class ReduceKernel(Communicator comm) : CollectiveKernel(comm)
{
    private float[] _send = [], _receive = [];

    protected override void Allocate(int bytes)
    {
        int count = bytes / sizeof(float);
        _send = FloatBuffer(count);
        _receive = FloatBuffer(count);
        for (int i = 0; i < count; i++) _send[i] = Pattern.Element(Comm.Rank, i);
    }

    protected override void Call() => Comm.Reduce<float>(_send, _receive, ReduceOp<float>.Sum, 0);

    public override string? Verify()
    {
        foreach (int root in VerifyRoots)
        {
            _receive.AsSpan().Clear();
            Comm.Reduce<float>(_send, _receive, ReduceOp<float>.Sum, root);
            if (Comm.Rank == root && CheckSum(_receive, Comm.Size, $"sum at root {root}") is { } error) return error;
        }
        return null;
    }
}
