using System.CommandLine;
using Cosched.Messaging;

namespace Cosched.Cli.Commands;

/// <summary>Options shared by every command that starts a job, with their checks.</summary>
public static class CommonOptions
{
    public static Option<int> Ranks() => new("--ranks", "-n") { Description = "number of ranks", Required = true };

    public static Option<string> Channels() => new("--channels")
    {
        Description = "which transport serves which peer: locality (default), per-vm or network",
        DefaultValueFactory = _ => "locality",
    };

    public static int CheckRanks(int ranks) =>
        ranks is >= 1 and <= 4096 ? ranks : throw new UsageException($"-n must be between 1 and 4096 ranks (got {ranks})");

    public static ChannelPolicy CheckChannels(string? text) =>
        ChannelPolicies.TryParse(text, out var policy) ? policy
            : throw new UsageException($"unknown channel policy '{text}' (expected one of: {string.Join(", ", ChannelPolicies.Names)})");
}
