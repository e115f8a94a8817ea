using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>Intel MPI Benchmarks' text output, line for line (IMB_output.c): so that any IMB parser
/// reads Cosched's results. Columns are 13 characters wide (IMB's ow_format).</summary>
public static class ImbFormat
{
    public const int ColumnWidth = 13;

    /// <summary>The general information IMB prints before its first block.</summary>
    public static string Preamble(MicroBenchmarkOptions options, DateTime now)
    {
        var text = new StringBuilder();
        text.Append("#----------------------------------------------------------------\n");
        text.Append("#    Cosched micro-benchmarks, IMB-MPI1 conventions\n");
        text.Append("#----------------------------------------------------------------\n");
        text.Append($"# Date                  : {AscTime(now)}\n");
        text.Append($"# Machine               : {Machine()}\n");
        text.Append($"# System                : {KernelSetting("ostype") ?? "Linux"}\n");
        text.Append($"# Release               : {KernelSetting("osrelease") ?? Environment.OSVersion.Version.ToString()}\n");
        text.Append($"# Channels              : {options.Channels}\n");
        foreach (var (name, algorithm) in options.Algorithms) text.Append($"# Algorithm             : {name}={algorithm}\n");
        text.Append('\n');
        text.Append($"# Minimum message length in bytes:   {(options.Stats ? options.StatsBytes : 0)}\n");
        text.Append($"# Maximum message length in bytes:   {(options.Stats ? options.StatsBytes : 1L << options.MaxLog)}\n");
        text.Append("#\n");
        text.Append("# MPI_Datatype                   :   MPI_BYTE \n");
        text.Append("# MPI_Datatype for reductions    :   MPI_FLOAT\n");
        text.Append("# MPI_Op                         :   MPI_SUM  \n");
        text.Append("#\n");
        text.Append("#\n");
        text.Append('\n');
        text.Append("# List of Benchmarks to run:\n\n");
        foreach (var benchmark in options.Benchmarks) text.Append($"# {benchmark.ImbName()}\n");
        return text.ToString();
    }

    /// <summary>What IMB prints after the last block.</summary>
    public const string Ending = "\n\n# All processes entering MPI_Finalize\n\n";

    /// <summary>A block's title lines and column header, with the blank line IMB puts before them.</summary>
    public static string BlockHeader(MicroBenchmark benchmark, int processes, int jobSize)
    {
        var columns = Columns(benchmark);
        var text = new StringBuilder(BlockTitle(benchmark, columns.Length, processes, jobSize));
        foreach (var column in columns) text.Append(column.PadLeft(ColumnWidth));
        text.Append('\n');
        return text.ToString();
    }

    private static string BlockTitle(MicroBenchmark benchmark, int columns, int processes, int jobSize)
    {
        var rule = "#" + new string('-', columns * ColumnWidth - 1) + "\n";
        var text = new StringBuilder("\n");
        text.Append(rule);
        text.Append($"# Benchmarking {benchmark.ImbName()} \n");
        text.Append($"# #processes = {processes} \n");
        int idle = jobSize - processes;
        if (idle == 1) text.Append("# ( 1 additional process waiting in MPI_Barrier)\n");
        else if (idle > 1) text.Append($"# ( {idle} additional processes waiting in MPI_Barrier)\n");
        text.Append(rule);
        return text.ToString();
    }

    /// <summary>Column titles: PingPong's time and bandwidth, the collectives' time range over
    /// ranks, and Barrier's time range without #bytes.</summary>
    public static string[] Columns(MicroBenchmark benchmark) => benchmark switch
    {
        MicroBenchmark.PingPong => ["#bytes", "#repetitions", "t[usec]", "Mbytes/sec"],
        MicroBenchmark.Barrier => ["#repetitions", "t_min[usec]", "t_max[usec]", "t_avg[usec]"],
        _ => ["#bytes", "#repetitions", "t_min[usec]", "t_max[usec]", "t_avg[usec]"],
    };

    /// <summary>One result row, as IMB's "%13d" and "%13.2f" fields.</summary>
    public static string Row(MicroBenchmark benchmark, SizeResult result) => benchmark switch
    {
        MicroBenchmark.PingPong => Int(result.Bytes) + Int(result.Repetitions) + Fixed(result.MaxMicroseconds) + Fixed(result.MbytesPerSecond),
        MicroBenchmark.Barrier => Int(result.Repetitions) + Fixed(result.MinMicroseconds) + Fixed(result.MaxMicroseconds) + Fixed(result.AvgMicroseconds),
        _ => Int(result.Bytes) + Int(result.Repetitions) + Fixed(result.MinMicroseconds) + Fixed(result.MaxMicroseconds) + Fixed(result.AvgMicroseconds),
    };

    /// <summary>The statistics block of pingpong --stats, in the layout of the paper's pingpong_lat.</summary>
    public static string Statistics(LatencyReport report)
    {
        var s = report.Statistics;
        var text = new StringBuilder(BlockTitle(MicroBenchmark.PingPong, 4, report.Processes, report.JobSize));
        text.Append($"# one-way latency [usec] of each round trip of {report.Options.StatsBytes} bytes ({report.Warmup} warm-up rounds)\n");
        text.Append("##----------------------------------------------\n");
        text.Append("##----------------------------------------------\n");
        text.Append($"#Iterations     {s.Rounds}\n");
        text.Append($"#Minimum        {F2(s.Minimum)}\n");
        text.Append($"#Maximum        {F2(s.Maximum)}\n");
        text.Append($"#Average        {F2(s.Mean)}\n");
        text.Append($"#Variance       {F2(s.Variance)}\n");
        text.Append($"#Std-Deviation  {F2(s.StandardDeviation)}\n");
        text.Append("##----------------------------------------------\n");
        text.Append($"#Median         {F2(s.Median)}\n");
        text.Append($"#Lower Quartil  {F2(s.LowerQuartile)}\n");
        text.Append($"#Upper Quartil  {F2(s.UpperQuartile)}\n");
        text.Append($"#Lower Whisker  {F2(s.LowerWhisker)}\n");
        text.Append($"#Upper Whisker  {F2(s.UpperWhisker)}\n");
        text.Append($"#Lower Outlier  {s.LowerOutliers}\n");
        text.Append($"#Upper Outlier  {s.UpperOutliers}\n");
        return text.ToString();
    }

    /// <summary>What `uname -m` prints, as IMB does.</summary>
    private static string Machine() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string? KernelSetting(string name)
    {
        try
        {
            return File.ReadAllText($"/proc/sys/kernel/{name}").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture).PadLeft(ColumnWidth);

    private static string Fixed(double value) => F2(value).PadLeft(ColumnWidth);

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>C's asctime layout ("Tue Nov 25 19:30:00 2025"), as IMB prints the date.</summary>
    private static string AscTime(DateTime t) =>
        $"{t.ToString("ddd MMM", CultureInfo.InvariantCulture)} {t.Day,2} {t.ToString("HH:mm:ss yyyy", CultureInfo.InvariantCulture)}";
}
