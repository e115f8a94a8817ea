using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Migration;

/// <summary>The one rule that picks a pair's channel: the policy against what this rank's
/// membership tables show. Called at start-up and again after every move.</summary>
internal static class ChannelDecision
{
    /// <param name="sameVm">The peer's mark is in this rank's VM segment (natively: the host's).</param>
    /// <param name="sameHost">The peer's mark is in the host segment this rank sees (VMs, locality only).</param>
    public static ChannelKind Decide(ChannelPolicy policy, bool sameVm, bool sameHost) => policy switch
    {
        ChannelPolicy.Network => ChannelKind.Tcp,
        _ when sameVm => ChannelKind.Shm,
        // Across VMs only the ring memory is shared: no cross-memory attach (DESIGN, VM rules).
        ChannelPolicy.Locality when sameHost => ChannelKind.ShmHost,
        _ => ChannelKind.Tcp,
    };
}
