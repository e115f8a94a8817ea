namespace Cosched.Mpi;

/// <summary>What a datatype's data is made of, where one primitive makes all of it (reductions need it).</summary>
internal enum Primitive
{
    Mixed, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float, Double,
    FloatInt, DoubleInt, LongInt, TwoInt, ShortInt, TwoFloat, TwoDouble, ComplexFloat, ComplexDouble,
}

/// <summary>An MPI datatype: how many bytes of data one element holds (<see cref="Size"/>), how far
/// apart consecutive elements lie (<see cref="Extent"/>), and where the data sits inside one element
/// (<see cref="Blocks"/>, merged where adjacent). Non-contiguous types are packed before they are
/// sent and unpacked after they arrive.</summary>
internal sealed unsafe class Datatype
{
    public Datatype(string name, Primitive basic, long lowerBound, long extent, (long Offset, long Bytes)[] blocks, bool predefined)
    {
        Name = name;
        Basic = basic;
        LowerBound = lowerBound;
        Extent = extent;
        Blocks = Merge(blocks);
        Size = Blocks.Sum(b => b.Bytes);
        IsPredefined = predefined;
        Committed = predefined;
        IsContiguous = Blocks.Length == 1 && Blocks[0].Offset == 0 && Blocks[0].Bytes == extent;
    }

    public string Name { get; }
    public Primitive Basic { get; }
    public long LowerBound { get; }
    public long Extent { get; }
    public long Size { get; }
    public (long Offset, long Bytes)[] Blocks { get; }
    public bool IsPredefined { get; }
    public bool Committed { get; set; }

    /// <summary>Elements lie back to back with no gap: the buffer is sent as it is.</summary>
    public bool IsContiguous { get; }

    /// <summary>A predefined type of <paramref name="bytes"/> contiguous bytes.</summary>
    public static Datatype Of(string name, Primitive basic, long bytes) => new(name, basic, 0, bytes, [(0, bytes)], predefined: true);

    /// <summary>A predefined pair type (MINLOC/MAXLOC's value and index), laid out as C's struct.</summary>
    public static Datatype Pair(string name, Primitive basic, long valueBytes, long indexOffset, long indexBytes, long extent) =>
        new(name, basic, 0, extent, [(0, valueBytes), (indexOffset, indexBytes)], predefined: true);

    public Datatype Contiguous(int count) => Vector(count, 1, 1, $"contiguous({count} x {Name})");

    /// <summary>MPI_Type_vector: <paramref name="count"/> blocks of <paramref name="blockLength"/>
    /// elements, <paramref name="stride"/> elements apart.</summary>
    public Datatype Vector(int count, int blockLength, int stride, string? name = null)
    {
        var blocks = new List<(long, long)>();
        for (int b = 0; b < count; b++)
            for (int e = 0; e < blockLength; e++)
                foreach (var (offset, bytes) in Blocks)
                    blocks.Add(((long)b * stride * Extent + e * Extent + offset, bytes));
        long extent = count == 0 ? 0 : ((long)(count - 1) * stride + blockLength) * Extent;
        return new Datatype(name ?? $"vector({count} x {blockLength} of {Name}, stride {stride})", Basic, LowerBound, extent, [.. blocks], predefined: false);
    }

    /// <summary>MPI_Type_create_resized: the same data, another lower bound and extent.</summary>
    public Datatype Resized(long lowerBound, long extent) =>
        new($"resized({Name})", Basic, lowerBound, extent, Blocks, predefined: false);

    /// <summary>MPI_Type_create_struct.</summary>
    public static Datatype Struct(int[] lengths, long[] displacements, Datatype[] types)
    {
        var blocks = new List<(long, long)>();
        long lower = long.MaxValue, upper = long.MinValue;
        for (int i = 0; i < types.Length; i++)
        {
            for (int e = 0; e < lengths[i]; e++)
                foreach (var (offset, bytes) in types[i].Blocks)
                    blocks.Add((displacements[i] + e * types[i].Extent + offset, bytes));
            lower = Math.Min(lower, displacements[i] + types[i].LowerBound);
            upper = Math.Max(upper, displacements[i] + types[i].LowerBound + lengths[i] * types[i].Extent);
        }
        if (types.Length == 0) lower = upper = 0;
        var basic = types.Select(t => t.Basic).Distinct().Count() == 1 ? types[0].Basic : Primitive.Mixed;
        // C pads a struct to its widest member's alignment; MPI's extent does the same.
        long align = types.Length == 0 ? 1 : types.Max(t => Math.Min(8, Math.Max(1, t.IsPredefined ? AlignmentOf(t) : 8)));
        long extent = upper - lower;
        if (extent % align != 0) extent += align - extent % align;
        return new Datatype("struct", basic, lower, extent, [.. blocks], predefined: false);
    }

    private static long AlignmentOf(Datatype predefined) => predefined.Blocks.Max(b => b.Bytes) switch { >= 8 => 8, >= 4 => 4, >= 2 => 2, _ => 1 };

    /// <summary>Copies the data of <paramref name="count"/> elements at <paramref name="from"/> into <paramref name="to"/>, back to back.</summary>
    public void Pack(byte* from, long count, byte* to)
    {
        for (long e = 0; e < count; e++)
            foreach (var (offset, bytes) in Blocks)
            {
                Buffer.MemoryCopy(from + e * Extent + offset, to, bytes, bytes);
                to += bytes;
            }
    }

    /// <summary>The reverse of <see cref="Pack"/>: <paramref name="bytes"/> packed bytes (whole elements, or the first part of them) into place.</summary>
    public void Unpack(byte* from, long bytes, byte* to)
    {
        for (long e = 0; bytes > 0; e++)
            foreach (var (offset, length) in Blocks)
            {
                long n = Math.Min(length, bytes);
                if (n <= 0) return;
                Buffer.MemoryCopy(from, to + e * Extent + offset, n, n);
                from += n;
                bytes -= n;
            }
    }

    private static (long, long)[] Merge((long Offset, long Bytes)[] blocks)
    {
        var merged = new List<(long Offset, long Bytes)>();
        foreach (var block in blocks)
        {
            if (block.Bytes == 0) continue;
            if (merged.Count > 0 && merged[^1].Offset + merged[^1].Bytes == block.Offset)
                merged[^1] = (merged[^1].Offset, merged[^1].Bytes + block.Bytes);
            else merged.Add(block);
        }
        return [.. merged];
    }
}
