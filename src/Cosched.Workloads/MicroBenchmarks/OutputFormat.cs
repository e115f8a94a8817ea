namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>How rank 0 prints results (--format).</summary>
public enum OutputFormat
{
    /// <summary>Intel MPI Benchmarks' own blocks and columns, so IMB parsers read it.</summary>
    Imb,
    /// <summary>JSON Lines: a compact JSON object per benchmark, with a row per size and per-rank details.</summary>
    Json,
    /// <summary>A header line, then one row per size of every benchmark.</summary>
    Csv,
}

/// <summary>Names of output formats as users type them.</summary>
public static class OutputFormats
{
    public static readonly string[] Names = ["imb", "json", "csv"];

    public static bool TryParse(string? text, out OutputFormat format)
    {
        int index = Array.IndexOf(Names, text);
        format = (OutputFormat)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(this OutputFormat format) => Names[(int)format];
}
