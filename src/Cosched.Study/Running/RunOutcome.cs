namespace Cosched.Study.Running;

/// <summary>What one run of a configuration gave: its rows, or the reason it failed.</summary>
/// <param name="LaunchReport">the launcher's JSON line on where the ranks ran (null when the command has no Cosched launcher).</param>
/// <param name="TimeSeries">the migration experiment's windows and moves (null for every other experiment).</param>
public sealed record RunOutcome(bool Ok, string? Error, string VmKind, IReadOnlyList<Measurement> Measurements, ApplicationResult? Application, string Command,
    string? LaunchReport = null, MigrationTimeSeries? TimeSeries = null)
{
    public static RunOutcome Failed(string error, string command, string vmKind = "") => new(false, error, vmKind, [], null, command);
}
