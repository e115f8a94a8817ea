namespace Cosched.Study.Running;

/// <summary>What running one configuration gave: its rows, or the reason it failed.</summary>
public sealed record RunOutcome(bool Ok, string? Error, string VmKind, IReadOnlyList<Measurement> Measurements, ApplicationResult? Application, string Command)
{
    public static RunOutcome Failed(string error, string command, string vmKind = "") => new(false, error, vmKind, [], null, command);
}
