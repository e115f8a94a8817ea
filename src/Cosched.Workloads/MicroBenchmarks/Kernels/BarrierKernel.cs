using System.Runtime.CompilerServices;
using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks.Kernels;

/// <summary>IMB Barrier: back-to-back barriers, timed as a whole.</summary>
internal sealed class BarrierKernel(Communicator comm) : Kernel(comm)
{
    private const int Tag = 2;

    protected override void Allocate(int bytes) { }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Kernel.Time
    public override double Time(int repetitions)
    {
        Comm.Barrier();
        long start = Now();
        for (int i = 0; i < repetitions; i++) Comm.Barrier();
        return Seconds(Now() - start) / repetitions;
    }

    /// <summary>No rank may leave before the last one entered. Ranks under one kernel share its
    /// monotonic clock, so rank 0 compares the entry and exit times of the ranks that booted with it
    /// (a rank in a real VM has its own clock and is left out). The last rank enters late on
    /// purpose, so that a barrier that lets ranks through early is caught.</summary>
    public override string? Verify()
    {
        Comm.Barrier();
        if (Comm.Rank == Comm.Size - 1 && Comm.Size > 1) Thread.Sleep(2);
        long entered = Now();
        Comm.Barrier();
        long left = Now();
        Span<long> mine = [entered, left, Boot.Value];
        if (Comm.Rank != 0)
        {
            Comm.Send<long>(mine, 0, Tag);
            return null;
        }
        long lastEntry = entered, firstExit = left;
        int lastEntrant = 0, firstLeaver = 0;
        Span<long> theirs = stackalloc long[3];
        for (int r = 1; r < Comm.Size; r++)
        {
            Comm.Recv(theirs, r, Tag);
            if (theirs[2] != Boot.Value) continue;
            if (theirs[0] > lastEntry) (lastEntry, lastEntrant) = (theirs[0], r);
            if (theirs[1] < firstExit) (firstExit, firstLeaver) = (theirs[1], r);
        }
        return firstExit >= lastEntry ? null
            : $"rank {firstLeaver} left the barrier {Seconds(lastEntry - firstExit) * 1e6:F1} us before rank {lastEntrant} entered it";
    }

    /// <summary>Which boot of which kernel this process runs under: equal values share a monotonic clock.</summary>
    private static readonly Lazy<long> Boot = new(() =>
    {
        try
        {
            var id = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            return BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(id)));
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    });
}
