namespace Cosched.Domains;

/// <summary>What a provider needs to start one rank inside a VM it runs itself (a QEMU guest).</summary>
/// <param name="Stdout">Each line the rank writes to stdout.</param>
/// <param name="Exited">Called once with the rank's exit code (128+N when signal N ended it).</param>
public sealed record RankLaunch(
    int Rank,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    Action<string> Stdout,
    Action<string> Stderr,
    Action<int> Exited);

/// <summary>A rank as the launcher supervises it, wherever it runs: a host process, or a process
/// in a guest that the guest's agent started.</summary>
public interface IRankProcess : IDisposable
{
    /// <summary>The rank's process id on this host, or -1 where it runs under another kernel.</summary>
    int HostPid { get; }

    bool HasExited { get; }

    /// <summary>Sends signal <paramref name="signal"/> to the rank.</summary>
    void Signal(int signal);

    /// <summary>Ends the rank and everything it started, at once.</summary>
    void Kill();

    /// <summary>Waits for the rank to end; false when it did not within <paramref name="timeout"/>.</summary>
    bool WaitForExit(TimeSpan timeout);
}
