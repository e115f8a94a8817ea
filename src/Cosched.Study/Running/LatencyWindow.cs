namespace Cosched.Study.Running;

/// <summary>One window of `bench pingpong --timeseries`: when it ended (seconds since the timed phase
/// started), its mean one-way latency, how many round trips it held, and the channel rank 0 used to
/// reach rank 1 at its end ("tcp", "shm-host" ...).</summary>
public sealed record LatencyWindow(double Seconds, double LatencyUsec, int RoundTrips, string Channel);
