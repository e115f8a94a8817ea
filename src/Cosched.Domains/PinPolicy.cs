namespace Cosched.Domains;

/// <summary>How ranks are dealt over VMs (--pin).</summary>
public enum PinPolicy
{
    /// <summary>Consecutive ranks share a VM: ranks 0..n/K-1 in VM 0, and so on (as the paper placed them).</summary>
    Compact,
    /// <summary>Round-robin: rank r goes to VM r mod K.</summary>
    Scatter,
}

/// <summary>Names of pin policies as users type them.</summary>
public static class PinPolicies
{
    public static readonly string[] Names = ["compact", "scatter"];

    public static bool TryParse(string? text, out PinPolicy policy)
    {
        int index = Array.IndexOf(Names, text);
        policy = (PinPolicy)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(this PinPolicy policy) => Names[(int)policy];
}
