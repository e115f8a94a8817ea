namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>IMB's rules for how often each message size is repeated.</summary>
public static class Repetitions
{
    /// <summary>Most repetitions of one size (IMB's MSGSPERSAMPLE).</summary>
    public const int MessagesPerSample = 1000;

    /// <summary>Bytes moved per size at most, before the time cap (IMB's OVERALL_VOL, 40 MiB).</summary>
    public const long OverallVolume = 40L * 1024 * 1024;

    /// <summary>How long the estimate run of a size lasts at most (IMB aims at one second; a
    /// shorter --time shortens it too, so quick runs stay quick).</summary>
    public const double ProbeSeconds = 1.0;

    /// <summary>n = max(1, min(40 MiB / size, 1000)); 1000 for size 0.</summary>
    public static int Default(long bytes) =>
        bytes > 0 ? (int)Math.Max(1, Math.Min(OverallVolume / bytes, MessagesPerSample)) : MessagesPerSample;

    /// <summary>Warm-up calls before the timed ones: a tenth, at least min(10, n).</summary>
    public static int Warmup(int repetitions) => Math.Max(repetitions / 10, Math.Min(10, repetitions));

    /// <summary>Repetitions of the estimate run, from the time of a single call: enough for about
    /// <see cref="ProbeSeconds"/> (or <paramref name="seconds"/> when shorter), at most <paramref name="selected"/>.</summary>
    public static int Probe(int selected, double secondsPerCall, double seconds)
    {
        double budget = Math.Min(ProbeSeconds, seconds);
        int repetitions = secondsPerCall < budget / MessagesPerSample ? MessagesPerSample
            : secondsPerCall < budget ? (int)(budget / secondsPerCall + 0.5)
            : 1;
        return Math.Clamp(repetitions, 1, selected);
    }

    /// <summary>IMB's dynamic policy: the default count, capped so that one size takes about
    /// <paramref name="seconds"/>, and never more than the previous (smaller) size used.</summary>
    public static int Capped(int selected, int previous, double secondsPerCall, double seconds)
    {
        double wanted = 1 + seconds / secondsPerCall;
        int byTime = secondsPerCall > 1e-8 && wanted <= int.MaxValue ? (int)wanted : selected;
        return Math.Max(1, Math.Min(selected, Math.Min(previous, byTime)));
    }
}
