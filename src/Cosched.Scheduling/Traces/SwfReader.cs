using System.Globalization;

namespace Cosched.Scheduling.Traces;

/// <summary>Reads Standard Workload Format traces (the Parallel Workloads Archive's), checking every
/// line and naming the first bad one with its line number.</summary>
public static class SwfReader
{
    /// <summary>Fields on a job line, as SWF 2.2 defines them.</summary>
    public const int FieldCount = 18;

    // The names SWF's definition gives the fields, for messages (index 0 is field 1).
    private static readonly string[] FieldNames =
    [
        "job number", "submit time", "wait time", "run time", "allocated processors", "average CPU time",
        "used memory", "requested processors", "requested time", "requested memory", "status", "user",
        "group", "executable", "queue", "partition", "preceding job", "think time",
    ];

    // Fields that count things or name them: a fraction there is a broken file, not a measurement.
    private static readonly bool[] IsInteger =
    [
        true, false, false, false, true, false, false, true, false, false, true, true, true, true, true, true, true, false,
    ];

    /// <summary>Reads the trace at <paramref name="path"/>; messages name the path as given.</summary>
    public static SwfTrace Read(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Parse(reader, path);
    }

    /// <summary>Parses a trace from <paramref name="reader"/>; <paramref name="name"/> stands for it in
    /// messages. Failed and cancelled jobs are kept: whether to replay them is the caller's choice.</summary>
    /// <exception cref="SwfFormatException">A line is neither a comment, blank, nor a valid job.</exception>
    public static SwfTrace Parse(TextReader reader, string name)
    {
        var header = new List<string>();
        var jobs = new List<SwfJob>();
        Span<double> values = stackalloc double[FieldCount];
        int number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            var line = text.AsSpan().Trim();
            if (line.IsEmpty) continue;
            if (line[0] == ';')
            {
                header.Add(line[1..].Trim().ToString());
                continue;
            }
            jobs.Add(ParseJob(line, values, name, number));
        }
        return new SwfTrace(header, jobs);
    }

    private static SwfJob ParseJob(ReadOnlySpan<char> line, Span<double> values, string name, int number)
    {
        // Split by hand: a regex or string.Split would allocate per field, and traces run to
        // millions of lines.
        int field = 0, at = 0;
        while (true)
        {
            while (at < line.Length && char.IsWhiteSpace(line[at])) at++;
            if (at == line.Length) break;
            int start = at;
            while (at < line.Length && !char.IsWhiteSpace(line[at])) at++;
            if (field < FieldCount) values[field] = ParseField(line[start..at], field, name, number);
            field++;
        }
        if (field != FieldCount)
            throw new SwfFormatException(name, number, $"expected {FieldCount} fields, found {field}");

        var job = new SwfJob(
            (long)values[0], values[1], values[2], values[3], (int)values[4], values[5], values[6], (int)values[7],
            values[8], values[9], (int)values[10], (int)values[11], (int)values[12], (int)values[13], (int)values[14],
            (int)values[15], (long)values[16], values[17]);
        if (job.AllocatedProcessors <= 0 && job.RequestedProcessors <= 0)
            throw new SwfFormatException(name, number,
                $"job {job.JobNumber} has neither allocated nor requested processors (fields 5 and 8 are {job.AllocatedProcessors} and {job.RequestedProcessors})");
        return job;
    }

    private static double ParseField(ReadOnlySpan<char> token, int field, string name, int number)
    {
        // Most fields are whole numbers (and -1): parsing them as integers is several times faster.
        // Otherwise Float style (sign, point, exponent) but nothing culture-dependent; NaN and
        // infinities are accepted by double.TryParse whatever the style, so they are refused here.
        double value;
        if (token.Length < 16 && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            value = whole;
        else if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
            throw new SwfFormatException(name, number, $"field {field + 1} ({FieldNames[field]}) is not a number: '{token}'");
        if (value < 0 && value != SwfJob.Missing)
            throw new SwfFormatException(name, number, $"field {field + 1} ({FieldNames[field]}) is negative: '{token}' (only -1, for missing, may be)");
        if (IsInteger[field] && (value != Math.Floor(value) || value > (field is 0 or 16 ? long.MaxValue : int.MaxValue)))
            throw new SwfFormatException(name, number, $"field {field + 1} ({FieldNames[field]}) is not a whole number: '{token}'");
        return value;
    }
}
