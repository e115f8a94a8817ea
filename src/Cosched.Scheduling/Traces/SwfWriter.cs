using System.Globalization;

namespace Cosched.Scheduling.Traces;

/// <summary>Writes traces in the Standard Workload Format, so that <see cref="SwfReader"/> (and any
/// other SWF tool) reads back the same trace.</summary>
public static class SwfWriter
{
    // Counts print as integers; times print with at most three decimals (milliseconds), which is
    // also the precision a trace keeps through a write and a read.
    private const string TimeFormat = "0.###";

    /// <summary>Writes <paramref name="trace"/> to the file at <paramref name="path"/>, replacing it.</summary>
    public static void Write(SwfTrace trace, string path)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16);
        Write(trace, writer);
    }

    /// <summary>Writes <paramref name="trace"/>: the header as <c>; line</c> lines, then one line of
    /// 18 space-separated fields per job.</summary>
    public static void Write(SwfTrace trace, TextWriter writer)
    {
        foreach (var line in trace.Header)
        {
            if (line.AsSpan().IndexOfAny('\n', '\r') >= 0)
                throw new ArgumentException($"a header line may not hold a line break: '{line.ReplaceLineEndings(" ")}'", nameof(trace));
            writer.Write(line.Length == 0 ? ";\n" : $"; {line}\n");
        }
        // One buffer for all lines: formatting into it allocates nothing per field.
        Span<char> buffer = stackalloc char[18 * 32];
        foreach (var job in trace.Jobs)
        {
            int at = 0;
            Long(job.JobNumber, buffer, ref at);
            Time(job.SubmitSeconds, buffer, ref at);
            Time(job.WaitSeconds, buffer, ref at);
            Time(job.RunSeconds, buffer, ref at);
            Long(job.AllocatedProcessors, buffer, ref at);
            Time(job.AverageCpuSeconds, buffer, ref at);
            Time(job.UsedMemoryKb, buffer, ref at);
            Long(job.RequestedProcessors, buffer, ref at);
            Time(job.RequestedSeconds, buffer, ref at);
            Time(job.RequestedMemoryKb, buffer, ref at);
            Long(job.Status, buffer, ref at);
            Long(job.User, buffer, ref at);
            Long(job.Group, buffer, ref at);
            Long(job.Executable, buffer, ref at);
            Long(job.Queue, buffer, ref at);
            Long(job.Partition, buffer, ref at);
            Long(job.PrecedingJob, buffer, ref at);
            Time(job.ThinkTimeSeconds, buffer, ref at);
            buffer[at - 1] = '\n';
            writer.Write(buffer[..at]);
        }
    }

    private static void Long(long value, Span<char> buffer, ref int at)
    {
        value.TryFormat(buffer[at..], out var written, default, CultureInfo.InvariantCulture);
        at += written;
        buffer[at++] = ' ';
    }

    private static void Time(double value, Span<char> buffer, ref int at)
    {
        // Most times are whole seconds (and -1): the integer path is several times faster than a
        // custom format, and writes the same digits.
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            Long((long)value, buffer, ref at);
            return;
        }
        // Values too large for the buffer are not times any trace holds; fail loudly, not silently.
        if (!double.IsFinite(value) || !value.TryFormat(buffer[at..^1], out var written, TimeFormat, CultureInfo.InvariantCulture))
            throw new ArgumentException($"cannot write {value} as an SWF time");
        // "0.###" turns -0.0004 into "-0", which reads back as 0: write what will be read.
        if (written == 2 && buffer[at] == '-' && buffer[at + 1] == '0') { buffer[at] = '0'; written = 1; }
        at += written;
        buffer[at++] = ' ';
    }
}
