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
    /// <summary>Extra environment variables for every rank.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
