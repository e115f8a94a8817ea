using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Store;

/// <summary>One run of a configuration (its <paramref name="Round"/>-th independent repetition) as the
/// database keeps it, failed or measured.</summary>
/// <param name="LaunchReport">the launcher's JSON line on where the ranks ran, when it wrote one.</param>
/// <param name="TimeSeries">the migration experiment's windows and moves, for its runs.</param>
public sealed record StoredRun(
    long Id, Configuration Configuration, int Round, bool Ok, string? Error, string VmKind, DateTime StartedUtc, double ElapsedSeconds,
    string Command, long MachineId, IReadOnlyList<Measurement> Measurements, ApplicationResult? Application, string? LaunchReport = null,
    MigrationTimeSeries? TimeSeries = null);
