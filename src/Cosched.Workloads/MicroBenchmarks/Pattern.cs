namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>Test data that says who sent it to whom: a pseudo-random byte stream seeded by the
/// (sender, receiver) pair, so a block delivered to the wrong rank or from the wrong rank is caught.</summary>
public static class Pattern
{
    /// <summary>Fills <paramref name="block"/> with the bytes <paramref name="from"/> sends to <paramref name="to"/>.</summary>
    public static void Fill(Span<byte> block, int from, int to)
    {
        ulong state = Seed(from, to);
        int i = 0;
        for (; i + 8 <= block.Length; i += 8)
            BitConverter.TryWriteBytes(block[i..], Next(ref state));
        if (i < block.Length)
        {
            ulong word = Next(ref state);
            for (; i < block.Length; i++, word >>= 8) block[i] = (byte)word;
        }
    }

    /// <summary>Index of the first byte that differs from what <paramref name="from"/> sends to
    /// <paramref name="to"/>, or -1 when the block is right.</summary>
    public static int FirstMismatch(ReadOnlySpan<byte> block, int from, int to)
    {
        var expected = new byte[block.Length];
        Fill(expected, from, to);
        if (block.SequenceEqual(expected)) return -1;
        for (int i = 0; ; i++)
            if (block[i] != expected[i]) return i;
    }

    /// <summary>The float that <paramref name="rank"/> contributes at <paramref name="index"/> to a
    /// reduction: small integers, so that a float sum over up to thousands of ranks stays exact.</summary>
    public static float Element(int rank, int index) => rank + 1 + index % 7;

    /// <summary>The exact sum of <see cref="Element"/> over ranks 0..ranks-1.</summary>
    public static float Sum(int ranks, int index) => (float)((long)ranks * (ranks + 1) / 2 + (long)ranks * (index % 7));

    private static ulong Seed(int from, int to) => 0x9E3779B97F4A7C15UL * (ulong)(uint)(from + 1) ^ 0xC2B2AE3D27D4EB4FUL * (ulong)(uint)(to + 7) ^ 0x165667B19E3779F9UL;

    private static ulong Next(ref ulong state)
    {
        // splitmix64: nearby seeds still give unrelated streams.
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
