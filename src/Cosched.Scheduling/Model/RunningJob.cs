namespace Cosched.Scheduling.Model;

/// <summary>A job that has started: where it is, when it started, and (for the simulator) how much
/// of its dedicated run time is left and how fast it progresses.</summary>
public sealed class RunningJob(SchedJob job, Allocation allocation, double startS)
{
    public SchedJob Job { get; } = job;
    public Allocation Allocation { get; internal set; } = allocation;
    public double StartS { get; } = startS;

    /// <summary>When EASY plans for it to end: start plus the requested time.</summary>
    public double EstimatedEndS => StartS + Job.RequestedS;

    /// <summary>Its allocation over time, from its start: (time, allocation) after each move.</summary>
    public List<(double AtS, Allocation Allocation)> History { get; } = [(startS, allocation)];

    public int Moves { get; internal set; }

    /// <summary>Its predicted slowdown where it is now (<see cref="CoRunModel"/>), kept current by the
    /// scheduling context after every change on its hosts.</summary>
    public double Slowdown { get; internal set; } = 1.0;

    /// <summary>Dedicated seconds of work it has left, predicted from its progress so far.</summary>
    public double RemainingWorkS(double now) => Math.Max(0, Job.RunS - (now - StartS) / Slowdown);

    // Simulator state: dedicated seconds of work left, as of LastUpdateS, progressing 1/Slowdown per second,
    // paused (a move in progress) until PausedUntilS; Version invalidates stale finish events.
    internal double RemainingWork = job.RunS;
    internal double LastUpdateS = startS;
    internal double PausedUntilS = startS;
    internal int Version;

    public override string ToString() => $"{Job.Name} [{Allocation}]";
}
