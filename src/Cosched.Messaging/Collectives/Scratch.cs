using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosched.Messaging.Collectives;

/// <summary>A pinned temporary buffer for one collective call, rented from a per-thread pool so that a
/// warm rank allocates nothing (one rank is one thread, so the pool needs no locks).</summary>
internal unsafe ref struct Scratch
{
    private readonly byte[]? _array;

    /// <summary>Start of the buffer; valid (and never moved) until <see cref="Dispose"/>.</summary>
    public readonly byte* Pointer;

    public Scratch(long bytes)
    {
        _array = ScratchPool.Rent(bytes);
        Pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
    }

    /// <summary>True when this is a real rented buffer (a default instance holds none).</summary>
    public readonly bool IsRented => _array != null;

    public void Dispose()
    {
        if (_array != null) ScratchPool.Return(_array);
    }
}

/// <summary>Per-thread free lists of pinned arrays by power-of-two size class.</summary>
internal static class ScratchPool
{
    private const int MinClass = 6;           // 64 bytes
    private const int MaxPooledClass = 26;    // 64 MiB; larger buffers are not kept
    private const int PerClass = 4;           // enough for the few buffers one algorithm holds at once

    [ThreadStatic] private static byte[]?[]? t_free;

    public static byte[] Rent(long bytes)
    {
        if (bytes > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(bytes), $"a collective needs a {bytes}-byte temporary buffer, more than one array can hold");
        int cls = Class(bytes);
        if (cls > MaxPooledClass) return GC.AllocateUninitializedArray<byte>((int)bytes, pinned: true);
        var free = t_free ??= new byte[]?[(MaxPooledClass + 1) * PerClass];
        int start = cls * PerClass;
        for (int i = start; i < start + PerClass; i++)
        {
            if (free[i] is { } array)
            {
                free[i] = null;
                return array;
            }
        }
        return GC.AllocateUninitializedArray<byte>(1 << cls, pinned: true);
    }

    public static void Return(byte[] array)
    {
        int cls = BitOperations.Log2((uint)array.Length);
        if (cls > MaxPooledClass || array.Length != 1 << cls) return;
        var free = t_free ??= new byte[]?[(MaxPooledClass + 1) * PerClass];
        int start = cls * PerClass;
        for (int i = start; i < start + PerClass; i++)
        {
            if (free[i] == null)
            {
                free[i] = array;
                return;
            }
        }
    }

    private static int Class(long bytes) => bytes <= 1 << MinClass ? MinClass : 64 - BitOperations.LeadingZeroCount((ulong)bytes - 1);

    /// <summary>Request slots for the algorithms that keep many transfers in flight.</summary>
    public static Request[] RentRequests(int count) => ArrayPool<Request>.Shared.Rent(count);

    public static void ReturnRequests(Request[] requests) => ArrayPool<Request>.Shared.Return(requests, clearArray: true);
}
