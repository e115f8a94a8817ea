namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>The IMB-MPI1 benchmarks that Cosched reproduces.</summary>
public enum MicroBenchmark
{
    PingPong,
    Barrier,
    Bcast,
    Reduce,
    Allreduce,
    Gather,
    Scatter,
    Allgather,
    Alltoall,
}

/// <summary>Names and IMB properties of each <see cref="MicroBenchmark"/>.</summary>
public static class MicroBenchmarks
{
    /// <summary>Command-line names, in the order IMB lists the benchmarks.</summary>
    public static readonly string[] Names = ["pingpong", "barrier", "bcast", "reduce", "allreduce", "gather", "scatter", "allgather", "alltoall"];

    public static bool TryParse(string? text, out MicroBenchmark benchmark)
    {
        int index = Array.IndexOf(Names, text?.ToLowerInvariant());
        benchmark = (MicroBenchmark)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The command-line name ("allreduce").</summary>
    public static string Name(this MicroBenchmark benchmark) => Names[(int)benchmark];

    /// <summary>The name IMB prints after "# Benchmarking" ("Allreduce").</summary>
    public static string ImbName(this MicroBenchmark benchmark) => benchmark.ToString();

    /// <summary>Reductions work on floats, so IMB rounds their sizes up to multiples of 4 bytes.</summary>
    public static bool IsReduction(this MicroBenchmark benchmark) => benchmark is MicroBenchmark.Reduce or MicroBenchmark.Allreduce;

    /// <summary>Barrier moves no data: IMB prints one row without a #bytes column.</summary>
    public static bool IsSynchronisation(this MicroBenchmark benchmark) => benchmark == MicroBenchmark.Barrier;

    /// <summary>Bytes of one element: float for reductions, byte otherwise (IMB's MPI_FLOAT and MPI_BYTE).</summary>
    public static int ElementBytes(this MicroBenchmark benchmark) => benchmark.IsReduction() ? sizeof(float) : 1;
}
