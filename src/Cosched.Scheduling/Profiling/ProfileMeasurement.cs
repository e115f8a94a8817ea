namespace Cosched.Scheduling.Profiling;

/// <summary>One raw measurement of <c>cosched profile</c> (a round of one kind of run), as stored in
/// study.db's <c>profile_runs</c>: the profile's figures are medians of these.</summary>
/// <param name="App">The application measured; for the migration runs, <see cref="MigrationApp"/>;
/// for the probe alone, <see cref="ProbeApp"/>.</param>
/// <param name="Kind">One of the constants below.</param>
/// <param name="Ranks">Ranks of <paramref name="App"/> in this run.</param>
/// <param name="Vms">VMs its ranks were split over (0: natively).</param>
/// <param name="Beside">The application (or <see cref="ProbeApp"/>) on the other half of the cores, if any.</param>
/// <param name="Value">Seconds of the timed phase (alone, beside, split), wall seconds (launched), GB/s (probe) or seconds of one move.</param>
/// <param name="VmKind">"native", or the VM provider the launcher reported (namespace, process).</param>
public sealed record ProfileMeasurement(
    string App, string Command, string Kind, int Ranks, int Vms, string? Beside, int Round, double Value, string VmKind)
{
    /// <summary>Alone on the host, natively: seconds.</summary>
    public const string Alone = "alone";
    /// <summary>On 1 rank on one half of the cores while <see cref="Beside"/> runs on the other: seconds.</summary>
    public const string CoRun = "corun";
    /// <summary>The STREAM probe's GB/s, alone (App = probe) or beside App.</summary>
    public const string Probe = "probe";
    /// <summary>On 2 ranks in 2 VMs with per-vm channels: seconds.</summary>
    public const string Split = "split";
    /// <summary>Alone, started as <c>cosched schedule run</c> starts a job (in one VM): wall seconds
    /// from the launcher's start to its exit, so the scheduler plans with what a job really takes.</summary>
    public const string Launched = "launched";
    /// <summary>One VM's move between two hosts, suspend to resume: seconds.</summary>
    public const string Move = "move";

    public const string ProbeApp = "stream";
    public const string MigrationApp = "pingpong";
}
