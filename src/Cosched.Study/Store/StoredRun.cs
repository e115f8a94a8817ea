using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Store;

/// <summary>One measured (or failed) configuration as the database keeps it.</summary>
public sealed record StoredRun(
    long Id, Configuration Configuration, bool Ok, string? Error, string VmKind, DateTime StartedUtc, double ElapsedSeconds,
    string Command, long MachineId, IReadOnlyList<Measurement> Measurements, ApplicationResult? Application)
{
    /// <summary>One row per message size: of the configuration's rounds, the one with the lowest latency.
    /// On a shared host a round that another job preempted is slower, never faster, so the best round
    /// is the closest to what the MPI itself costs.</summary>
    public IReadOnlyList<Measurement> Best { get; } =
        [.. Measurements.GroupBy(m => m.Bytes).Select(g => g.MinBy(m => m.Latency ?? double.MaxValue)!).OrderBy(m => m.Bytes)];
}
