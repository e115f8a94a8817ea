namespace Cosched.Messaging.Collectives.ReduceScatter;

/// <summary>Element offsets of each rank's block in a reduce-scatter's send buffer (the prefix sums
/// of the receive counts), in a pooled buffer.</summary>
internal unsafe ref struct BlockLayout
{
    private Scratch _scratch;
    private readonly long* _start;

    public BlockLayout(ReadOnlySpan<int> counts)
    {
        _scratch = new Scratch((counts.Length + 1) * (long)sizeof(long));
        _start = (long*)_scratch.Pointer;
        long sum = 0;
        for (int r = 0; r < counts.Length; r++)
        {
            _start[r] = sum;
            sum += counts[r];
        }
        _start[counts.Length] = sum;
    }

    /// <summary>Offset of rank r's block; r == p gives the total.</summary>
    public readonly long Start(int r) => _start[r];

    public readonly long Total(int p) => _start[p];

    public void Dispose() => _scratch.Dispose();
}
