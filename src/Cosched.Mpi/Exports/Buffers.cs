using System.Buffers;

namespace Cosched.Mpi;

/// <summary>A C buffer of <c>count</c> elements of a datatype, as the bytes that travel: the memory
/// itself for contiguous types, a packed copy otherwise.</summary>
internal static unsafe class Buffers
{
    public static int Count(int count, string what = "count") =>
        count >= 0 ? count : throw new MpiException(ErrorClass.Count, $"{what} {count} is negative");

    public static int Bytes(int count, Datatype type)
    {
        long bytes = (long)Count(count) * type.Size;
        return bytes <= int.MaxValue ? (int)bytes : throw new MpiException(ErrorClass.Count, $"{count} x {type.Name} is more than 2 GiB in one call");
    }

    /// <summary>The bytes to send: the buffer when contiguous, else a packed copy (rented: give it back with <see cref="Return"/>).</summary>
    public static ReadOnlySpan<byte> ToSend(void* buffer, int count, Datatype type, out byte[]? rented)
    {
        int bytes = Bytes(count, type);
        rented = null;
        if (type.IsContiguous) return new ReadOnlySpan<byte>(buffer, bytes);
        rented = ArrayPool<byte>.Shared.Rent(bytes);
        fixed (byte* to = rented) type.Pack((byte*)buffer, count, to);
        return rented.AsSpan(0, bytes);
    }

    /// <summary>Where to receive: the buffer when contiguous, else a staging area to unpack from with <see cref="Finish"/>.</summary>
    public static Span<byte> ToReceive(void* buffer, int count, Datatype type, out byte[]? rented)
    {
        int bytes = Bytes(count, type);
        rented = null;
        if (type.IsContiguous) return new Span<byte>(buffer, bytes);
        rented = ArrayPool<byte>.Shared.Rent(bytes);
        return rented.AsSpan(0, bytes);
    }

    /// <summary>Unpacks <paramref name="bytes"/> received into the staging area (if any) and returns it.</summary>
    public static void Finish(byte[]? rented, long bytes, void* buffer, Datatype type)
    {
        if (rented == null) return;
        fixed (byte* from = rented) type.Unpack(from, bytes, (byte*)buffer);
        ArrayPool<byte>.Shared.Return(rented);
    }

    public static void Return(byte[]? rented)
    {
        if (rented != null) ArrayPool<byte>.Shared.Return(rented);
    }
}
