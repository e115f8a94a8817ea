using Cosched.Study.Running;

namespace Cosched.Study.Report;

/// <summary>The windows of one run that fall in one phase of the migration experiment.</summary>
public sealed record MigrationPhase(IReadOnlyList<LatencyWindow> Windows)
{
    /// <summary>The median latency of the windows (µs); null when the phase holds none.</summary>
    public double? MedianUsec => Windows.Count == 0 ? null : Statistics.Median([.. Windows.Select(w => w.LatencyUsec)]);

    /// <summary>The channel most of the windows used ("tcp", "shm-host"); empty when there are none.</summary>
    public string Channel => Windows.GroupBy(w => w.Channel).MaxBy(g => g.Count())?.Key ?? "";
}
