namespace Cosched.Scheduling.Profiling;

/// <summary>One profiling run failed (its child exited non-zero, timed out or printed nothing
/// readable); the profiler records the reason and goes on with the next run.</summary>
public sealed class ProfileRunException(string message) : Exception(message);
