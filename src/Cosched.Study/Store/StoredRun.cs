using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Store;

/// <summary>One measured (or failed) configuration as the database keeps it.</summary>
public sealed record StoredRun(
    long Id, Configuration Configuration, bool Ok, string? Error, string VmKind, DateTime StartedUtc, double ElapsedSeconds,
    string Command, long MachineId, IReadOnlyList<Measurement> Measurements, ApplicationResult? Application);
