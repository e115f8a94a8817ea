using System.Runtime.CompilerServices;
using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB PingPong: rank 0 sends, rank 1 answers with a message of the same size; the time is
/// half the round trip. Other ranks wait. As in IMB each side sends from its own send buffer and
/// receives into its receive buffer: echoing the receive buffer instead makes the answer's copy read
/// lines still dirty in the other core's cache, 20-30 % slower at 1 MiB (docs/BENCHMARKS.md, issue
/// 17), which IMB does not measure. On a job of one rank the rank plays both sides over its self
/// channel. The buffers start on a page, as IMB's do in effect (malloc gives both ranks' buffers
/// the same page offset): the kernel's single copy is fast or slow by the distance between the two
/// buffers modulo a page (see CrossMemory.CopiesFast), so the two benchmarks measure the same case.</summary>
internal sealed class PingPongKernel(Communicator comm) : Kernel(comm)
{
    private const int Tag = 1;
    private Memory<byte> _send, _receive, _echo;

    public override bool Participates => Comm.Rank < 2;
    public override int Processes => Math.Min(2, Comm.Size);

    protected override void Allocate(int bytes)
    {
        _send = PageAlignedBuffer(bytes);
        _receive = PageAlignedBuffer(bytes);
        _echo = Comm.Size == 1 ? PageAlignedBuffer(bytes) : Memory<byte>.Empty;
        if (Comm.Rank == 0) Pattern.Fill(_send.Span, 0, 1);
        else if (Comm.Rank == 1) Pattern.Fill(_send.Span, 1, 0);
    }

    public override double Time(int repetitions)
    {
        Comm.Barrier();
        if (!Participates) return double.NaN;
        long start = Now();
        RoundTrips(repetitions);
        return Seconds(Now() - start) / repetitions / 2;
    }

    /// <summary>One-way latency of each round trip, in microseconds (rank 0; NaN elsewhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Kernel.Time
    public double[] TimeEachRound(int rounds, int warmup)
    {
        var latencies = new double[rounds];
        Comm.Barrier();
        if (Participates) RoundTrips(warmup);
        Comm.Barrier();
        if (!Participates) return latencies;
        for (int i = 0; i < rounds; i++)
        {
            long start = Now();
            RoundTrips(1);
            latencies[i] = Seconds(Now() - start) * 1e6 / 2;
        }
        return latencies;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Kernel.Time
    private void RoundTrips(int count)
    {
        if (Comm.Size == 1)
        {
            for (int i = 0; i < count; i++)
            {
                Comm.Sendrecv<byte>(_send.Span, 0, Tag, _receive.Span, 0, Tag);
                Comm.Sendrecv<byte>(_receive.Span, 0, Tag, _echo.Span, 0, Tag);
            }
        }
        else if (Comm.Rank == 0)
        {
            for (int i = 0; i < count; i++)
            {
                Comm.Send<byte>(_send.Span, 1, Tag);
                Comm.Recv<byte>(_receive.Span, 1, Tag);
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                Comm.Recv<byte>(_receive.Span, 0, Tag);
                Comm.Send<byte>(_send.Span, 0, Tag);
            }
        }
    }

    public override string? Verify()
    {
        if (!Participates) return null;
        _receive.Span.Clear();
        _echo.Span.Clear();
        RoundTrips(1);
        if (Comm.Rank == 1 || Comm.Size == 1)
        {
            var error = CheckBlock(_receive.Span, 0, 1, "ping from rank 0");
            if (error != null) return error;
        }
        if (Comm.Rank != 0) return null;
        return Comm.Size == 1 ? CheckBlock(_echo.Span, 0, 1, "pong back to rank 0") : CheckBlock(_receive.Span, 1, 0, "pong from rank 1");
    }
}
