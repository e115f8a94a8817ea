namespace Cosched.Messaging;

/// <summary>Which transport serves which peer (--channels).</summary>
public enum ChannelPolicy
{
    /// <summary>Shared memory with every rank on the same host, even in another VM (default).</summary>
    Locality,
    /// <summary>Shared memory only inside one VM; the network between VMs (what the paper measured).</summary>
    PerVm,
    /// <summary>TCP between all ranks, even inside one VM.</summary>
    Network,
}

/// <summary>Names of channel policies as users type them.</summary>
public static class ChannelPolicies
{
    public static readonly string[] Names = ["locality", "per-vm", "network"];

    public static bool TryParse(string? text, out ChannelPolicy policy)
    {
        int index = Array.IndexOf(Names, text);
        policy = (ChannelPolicy)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(this ChannelPolicy policy) => Names[(int)policy];
}
