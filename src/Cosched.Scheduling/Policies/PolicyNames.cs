namespace Cosched.Scheduling.Policies;

/// <summary>The policies by the names users type.</summary>
public static class PolicyNames
{
    public static readonly string[] All = ["exclusive", "share", "poncos", "cosched"];

    /// <summary>The policy called <paramref name="name"/> for hosts of <paramref name="coresPerHost"/>
    /// cores; ArgumentException (one line) for an unknown name or one that cannot run there.</summary>
    public static ISchedulingPolicy Create(string name, int coresPerHost) => name switch
    {
        "exclusive" => new ExclusivePolicy(),
        "share" => new SharePolicy(),
        "poncos" => new PoncosPolicy(coresPerHost),
        "cosched" => new CoschedPolicy(),
        _ => throw new ArgumentException($"unknown policy '{name}' (expected one of: {string.Join(", ", All)})"),
    };

    /// <summary>Whether the policy decides from the measured profiles (and cannot run without them).</summary>
    public static bool NeedsProfiles(string name) => name is "poncos" or "cosched";
}
