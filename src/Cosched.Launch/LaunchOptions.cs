using Cosched.Domains;
using Cosched.Messaging;

namespace Cosched.Launch;

/// <summary>What `cosched run` (and every command that starts ranks) asks of the launcher.</summary>
public sealed record LaunchOptions(int Ranks, IReadOnlyList<string> Command)
{
    public ChannelPolicy Policy { get; init; } = ChannelPolicy.Locality;
    /// <summary>Prefix every output line with the rank, as Open MPI's --tag-output.</summary>
    public bool TagOutput { get; init; }
    /// <summary>End the job (exit 1) if it runs longer than this.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Pin each rank to a core (one rank per core, as Open MPI's --bind-to core).</summary>
    public BindTo BindTo { get; init; } = BindTo.Auto;
    /// <summary>Number of virtual machines the ranks are split over; 0 runs them natively.</summary>
    public int Vms { get; init; }
    /// <summary>How ranks are dealt over the VMs.</summary>
    public PinPolicy Pin { get; init; } = PinPolicy.Compact;
    /// <summary>Which provider makes the VMs.</summary>
    public VmKind VmKind { get; init; } = VmKind.Auto;
    /// <summary>Memory of each QEMU guest in MiB (0: the provider's default).</summary>
    public int VmMemoryMiB { get; init; }
    /// <summary>Print rank, VM and core, and let each rank print its transport per peer.</summary>
    public bool ReportBindings { get; init; }
    /// <summary>Where to write the job's <see cref="LaunchReport"/> before its ranks start (null: nowhere).</summary>
    public string? LaunchReportPath { get; init; }
    /// <summary>Number of simulated hosts the cores are split into (--hosts).</summary>
    public int Hosts { get; init; } = 1;
    /// <summary>The host each VM starts on (--vm-hosts; null: round-robin).</summary>
    public IReadOnlyList<int>? VmHosts { get; init; }
    /// <summary>Moves to make while the job runs (--migrate; null: none).</summary>
    public MoveSchedule? Migrate { get; init; }
    /// <summary>--migrate AT counts from the program's timed phase (a benchmark marks it) instead of
    /// the ranks' start.</summary>
    public bool ClockFromTimedPhase { get; init; }
    /// <summary>Extra environment variables for every rank.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
