namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>The message sizes IMB runs for a benchmark: 0, then 2^MIN doubling up to 2^MAX.</summary>
public static class MessageSizes
{
    /// <summary>Largest --msglog exponent accepted (1 GiB messages).</summary>
    public const int MaxLog = 30;

    /// <summary>Sizes in bytes. Reductions round up to whole floats, so with MIN = 0 their rows
    /// are 0, 4, 8, ...; Barrier has a single row (its size is not printed).</summary>
    public static IReadOnlyList<int> For(MicroBenchmark benchmark, int minLog, int maxLog)
    {
        if (minLog < 0 || maxLog > MaxLog || minLog > maxLog)
            throw new ArgumentOutOfRangeException(nameof(minLog), $"message sizes 2^{minLog}..2^{maxLog} are out of range");
        if (benchmark.IsSynchronisation()) return [0];
        int unit = benchmark.ElementBytes();
        int largest = (1 << maxLog) / unit * unit;
        var sizes = new List<int> { 0 };
        int size = RoundUp(1 << minLog, unit);
        while (true)
        {
            size = Math.Min(size, largest);
            if (size > sizes[^1]) sizes.Add(size);
            if (size >= largest) break;
            size *= 2;
        }
        return sizes;
    }

    private static int RoundUp(int bytes, int unit) => (bytes + unit - 1) / unit * unit;
}
