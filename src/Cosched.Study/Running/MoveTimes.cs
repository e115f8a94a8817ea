namespace Cosched.Study.Running;

/// <summary>What one move of a VM cost, phase by phase (milliseconds), as the launcher recorded it in
/// `bench pingpong --timeseries`'s json; <see cref="AtSeconds"/> counts on the time series' clock.</summary>
/// <param name="Move">1 for the first move of the run, 2 for the second ...</param>
/// <param name="LongestWaitMs">the longest time a channel switch kept any rank's messages waiting.</param>
/// <param name="WhatMoved">the provider's own account: with namespaces the cpuset and the host segment
/// move, processes and memory stay.</param>
public sealed record MoveTimes(
    int Move, int Vm, int From, int To, double AtSeconds, double SuspendMs, double MoveMs, double AttachMs, double ReselectMs,
    double TotalMs, double LongestWaitMs, string WhatMoved)
{
    /// <summary>When the move was complete, on the time series' clock.</summary>
    public double EndSeconds => AtSeconds + TotalMs / 1000;
}
