namespace Cosched.Scheduling.Metrics;

/// <summary>One policy's run (real) or simulation of one workload: every job's record and the metrics.</summary>
/// <param name="Kind">"real" or "simulated".</param>
/// <param name="Workload">The queue or trace it ran.</param>
public sealed record ScheduleResult(string Kind, string Policy, string Workload, int Hosts, int CoresPerHost,
    ScheduleMetrics Metrics, IReadOnlyList<JobRecord> Jobs);
