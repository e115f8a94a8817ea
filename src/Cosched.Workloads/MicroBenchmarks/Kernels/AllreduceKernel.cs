using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Allreduce: a float sum of every rank's vector, delivered to every rank.</summary>
internal sealed class AllreduceKernel(Communicator comm) : CollectiveKernel(comm)
{
    private float[] _send = [], _receive = [];

    protected override void Allocate(int bytes)
    {
        int count = bytes / sizeof(float);
        _send = FloatBuffer(count);
        _receive = FloatBuffer(count);
        for (int i = 0; i < count; i++) _send[i] = Pattern.Element(Comm.Rank, i);
    }

    protected override void Call() => Comm.Allreduce<float>(_send, _receive, ReduceOp<float>.Sum);

    public override string? Verify()
    {
        _receive.AsSpan().Clear();
        Comm.Allreduce<float>(_send, _receive, ReduceOp<float>.Sum);
        return CheckSum(_receive, Comm.Size, "sum");
    }
}
