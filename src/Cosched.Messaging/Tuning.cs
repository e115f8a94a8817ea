namespace Cosched.Messaging;

/// <summary>Reads the runtime's tunables from the environment (COSCHED_*), with defaults.</summary>
internal static class Tuning
{
    public static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;
}
