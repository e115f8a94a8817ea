using System.Globalization;

namespace Cosched.Scheduling.Traces;

/// <summary>A workload trace: the SWF header's comment lines and the jobs, in file order.</summary>
/// <param name="Header">The <c>;</c> lines, without the <c>;</c> and trimmed (for example
/// <c>MaxProcs: 128</c>).</param>
/// <param name="Jobs">One entry per job line.</param>
public sealed record SwfTrace(IReadOnlyList<string> Header, IReadOnlyList<SwfJob> Jobs)
{
    /// <summary>The machine size the header declares: <c>MaxProcs</c>, else <c>MaxNodes</c> (older
    /// traces, and the authors' own model, count nodes); null when neither is there or they are -1.
    /// Computed on each call rather than cached so that <c>with</c> copies never carry a stale value.</summary>
    public int? MaxProcessors => HeaderNumber("MaxProcs") ?? HeaderNumber("MaxNodes");

    /// <summary>Seconds from the first submission to the last (0 for fewer than two jobs).</summary>
    public double SpanSeconds => Jobs.Count < 2 ? 0 : Jobs.Max(j => j.SubmitSeconds) - Jobs.Min(j => j.SubmitSeconds);

    /// <summary>The work offered to a machine of <paramref name="processors"/> processors while jobs
    /// arrive: sum of size times run time over processors times the submission span. 0 when the span
    /// is 0, as no rate can be told from one instant.</summary>
    public double OfferedLoad(int processors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processors, 1);
        var span = SpanSeconds;
        if (span <= 0) return 0;
        double work = 0;
        foreach (var job in Jobs)
            if (job.RunSeconds > 0 && job.Processors > 0) work += job.Processors * job.RunSeconds;
        return work / (processors * span);
    }

    /// <summary>The value of the header field <paramref name="key"/> (<c>Key: value</c>, key matched
    /// without regard to case) as a positive integer, or null.</summary>
    public int? HeaderNumber(string key)
    {
        foreach (var line in Header)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || !line.AsSpan(0, colon).Trim().Equals(key, StringComparison.OrdinalIgnoreCase)) continue;
            if (int.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
                return value;
        }
        return null;
    }

    // Records compare lists by reference; a trace is equal to another with the same lines.
    public bool Equals(SwfTrace? other) =>
        other is not null && Header.SequenceEqual(other.Header, StringComparer.Ordinal) && Jobs.SequenceEqual(other.Jobs);

    public override int GetHashCode() => HashCode.Combine(Header.Count, Jobs.Count, Jobs.Count > 0 ? Jobs[0] : null);
}
