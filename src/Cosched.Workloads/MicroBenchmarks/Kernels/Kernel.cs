using System.Runtime.CompilerServices;
using System.Diagnostics;
using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>One benchmark's communication pattern on one rank: sets up buffers for a size, times
/// a number of calls, and checks afterwards that the data arrived intact.</summary>
internal abstract class Kernel(Communicator comm)
{
    protected readonly Communicator Comm = comm;
    protected int Bytes { get; private set; }

    /// <summary>False on ranks that only wait while others measure (PingPong beyond rank 1).</summary>
    public virtual bool Participates => true;

    /// <summary>How many ranks take part (what IMB prints as #processes).</summary>
    public virtual int Processes => Comm.Size;

    /// <summary>Allocates and fills the buffers for messages of <paramref name="bytes"/> bytes.</summary>
    public void Prepare(int bytes)
    {
        Bytes = bytes;
        Allocate(bytes);
    }

    protected abstract void Allocate(int bytes);

    /// <summary>Runs <paramref name="repetitions"/> calls after a barrier; returns this rank's
    /// seconds per call (NaN if it does not take part).</summary>
    /// <remarks>Implementations compile their timing loop fully optimised at once
    /// (AggressiveOptimization): a loop started in tier-0 code is later replaced on the stack (OSR)
    /// and then recompiled, and a size timed across those switches measured up to 10x slower than
    /// the sizes beside it.</remarks>
    public abstract double Time(int repetitions);

    /// <summary>Clears what the benchmark receives, runs it once more, and checks what arrived;
    /// returns a description of the first wrong value, or null.</summary>
    public abstract string? Verify();

    protected static long Now() => Stopwatch.GetTimestamp();

    protected static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    protected static byte[] Buffer(long bytes) => GC.AllocateUninitializedArray<byte>(checked((int)bytes), pinned: true);

    /// <summary>A pinned buffer of <paramref name="bytes"/> bytes that starts on a page.</summary>
    protected static unsafe Memory<byte> PageAlignedBuffer(int bytes)
    {
        const int page = 4096;
        var array = GC.AllocateUninitializedArray<byte>(bytes + page, pinned: true);
        fixed (byte* start = array) return array.AsMemory((int)((page - (nuint)start % page) % page), bytes);
    }

    protected static float[] FloatBuffer(int count) => GC.AllocateUninitializedArray<float>(count, pinned: true);

    /// <summary>Checks a block of <see cref="Pattern"/> data; describes the first wrong byte.</summary>
    protected static string? CheckBlock(ReadOnlySpan<byte> block, int from, int to, string what)
    {
        int at = Pattern.FirstMismatch(block, from, to);
        return at < 0 ? null : $"{what}: byte {at} of {block.Length} is {block[at]}, expected {Expected(block.Length, from, to, at)}";
    }

    private static byte Expected(int length, int from, int to, int index)
    {
        var expected = new byte[length];
        Pattern.Fill(expected, from, to);
        return expected[index];
    }

    /// <summary>Checks the result of a float sum over all ranks of <see cref="Pattern.Element"/>.</summary>
    protected static string? CheckSum(ReadOnlySpan<float> result, int ranks, string what)
    {
        for (int i = 0; i < result.Length; i++)
            if (result[i] != Pattern.Sum(ranks, i))
                return $"{what}: element {i} of {result.Length} is {result[i]}, expected {Pattern.Sum(ranks, i)}";
        return null;
    }

    /// <summary>The roots a rooted collective is verified with: 0 (the timed root) and the last rank.</summary>
    protected int[] VerifyRoots => Comm.Size > 1 ? [0, Comm.Size - 1] : [0];

    public static Kernel Create(MicroBenchmark benchmark, Communicator comm) => benchmark switch
    {
        MicroBenchmark.PingPong => new PingPongKernel(comm),
        MicroBenchmark.Barrier => new BarrierKernel(comm),
        MicroBenchmark.Bcast => new BcastKernel(comm),
        MicroBenchmark.Reduce => new ReduceKernel(comm),
        MicroBenchmark.Allreduce => new AllreduceKernel(comm),
        MicroBenchmark.Gather => new GatherKernel(comm),
        MicroBenchmark.Scatter => new ScatterKernel(comm),
        MicroBenchmark.Allgather => new AllgatherKernel(comm),
        MicroBenchmark.Alltoall => new AlltoallKernel(comm),
        _ => throw new ArgumentOutOfRangeException(nameof(benchmark)),
    };
}

/// <summary>A collective timed as IMB does: each call on its own clock, with an untimed barrier
/// after it (IMB's default -sync 1) so that a fast rank does not run ahead into the next call.</summary>
internal abstract class CollectiveKernel(Communicator comm) : Kernel(comm)
{
    protected abstract void Call();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Kernel.Time
    public override double Time(int repetitions)
    {
        Comm.Barrier();
        long total = 0;
        for (int i = 0; i < repetitions; i++)
        {
            long start = Now();
            Call();
            total += Now() - start;
            Comm.Barrier();
        }
        return Seconds(total) / repetitions;
    }
}
