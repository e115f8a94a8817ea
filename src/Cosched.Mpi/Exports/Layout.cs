namespace Cosched.Mpi;

/// <summary>The blocks of a v-collective (counts and displacements in elements of a datatype) as
/// the bytes Cosched's collectives move: the caller's buffer itself when the type is contiguous,
/// else a packed staging area, block after block, unpacked into place afterwards.</summary>
internal sealed unsafe class Layout
{
    private readonly Datatype _type;
    private readonly int[] _elementCounts, _elementDisplacements;
    private byte[]? _staging;

    /// <summary>Bytes per block, and where each block starts, in the buffer or the staging area.</summary>
    public int[] Counts { get; }
    public int[] Displacements { get; }

    private Layout(Datatype type, int[] counts, int[] displacements)
    {
        _type = type;
        _elementCounts = counts;
        _elementDisplacements = displacements;
        Counts = counts.Select(n => checked((int)(n * type.Size))).ToArray();
        if (type.IsContiguous) Displacements = displacements.Select(d => checked((int)(d * type.Extent))).ToArray();
        else
        {
            Displacements = new int[counts.Length];
            for (int i = 1; i < counts.Length; i++) Displacements[i] = checked(Displacements[i - 1] + Counts[i - 1]);
        }
    }

    public static Layout Of(int blocks, int* counts, int* displacements, Datatype type)
    {
        var c = new int[blocks];
        var d = new int[blocks];
        for (int i = 0; i < blocks; i++)
        {
            c[i] = Buffers.Count(counts[i]);
            d[i] = displacements[i] >= 0 ? displacements[i] : throw new MpiException(ErrorClass.Arg, $"displacement {displacements[i]} of block {i} is negative");
        }
        return new Layout(type, c, d);
    }

    private int Span => Counts.Length == 0 ? 0 : Enumerable.Range(0, Counts.Length).Max(i => Displacements[i] + Counts[i]);

    /// <summary>Where the blocks are received.</summary>
    public Span<byte> Staging(void* buffer) =>
        _type.IsContiguous ? new Span<byte>(buffer, Span) : (_staging = new byte[Span]);

    /// <summary>Moves received blocks from the staging area into the buffer (nothing when contiguous).</summary>
    public void Finish(void* buffer)
    {
        if (_staging == null) return;
        fixed (byte* from = _staging)
            for (int i = 0; i < Counts.Length; i++)
                _type.Unpack(from + Displacements[i], Counts[i], (byte*)buffer + _elementDisplacements[i] * _type.Extent);
    }

    /// <summary>The blocks to send, from the buffer.</summary>
    public ReadOnlySpan<byte> Packed(void* buffer)
    {
        if (_type.IsContiguous) return new ReadOnlySpan<byte>(buffer, Span);
        var packed = new byte[Span];
        fixed (byte* to = packed)
            for (int i = 0; i < Counts.Length; i++)
                _type.Pack((byte*)buffer + _elementDisplacements[i] * _type.Extent, _elementCounts[i], to + Displacements[i]);
        return packed;
    }

    /// <summary>Block <paramref name="block"/> of the buffer, packed (an in-place caller's own part).</summary>
    public byte[] Copy(void* buffer, int block)
    {
        var bytes = new byte[Counts[block]];
        fixed (byte* to = bytes) _type.Pack((byte*)buffer + _elementDisplacements[block] * _type.Extent, _elementCounts[block], to);
        return bytes;
    }
}
