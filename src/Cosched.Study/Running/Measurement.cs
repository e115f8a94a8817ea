namespace Cosched.Study.Running;

/// <summary>One row of a micro-benchmark: one message size, as IMB prints it. Point-to-point fills
/// <see cref="TUsec"/> and <see cref="MbytesPerSec"/>; collectives the min, max and average over ranks.</summary>
public sealed record Measurement(
    long Bytes, long Repetitions, double? TUsec, double? MbytesPerSec, double? TMinUsec, double? TMaxUsec, double? TAvgUsec)
{
    /// <summary>The latency the report plots: half the round trip for point-to-point, the average over
    /// ranks for a collective (IMB's t_avg).</summary>
    public double? Latency => TUsec ?? TAvgUsec;
}
