namespace Cosched.Study.Running;

/// <summary>One run of the migration experiment: PingPong's latency window by window while a VM moves,
/// and the moves it made.</summary>
/// <param name="Bytes">the message size.</param>
public sealed record MigrationTimeSeries(long Bytes, double WindowMs, IReadOnlyList<LatencyWindow> Windows, IReadOnlyList<MoveTimes> Moves);
