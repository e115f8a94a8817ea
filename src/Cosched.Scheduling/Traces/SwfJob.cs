namespace Cosched.Scheduling.Traces;

/// <summary>One job of a workload trace, field for field as a line of the Standard Workload Format
/// (Parallel Workloads Archive, version 2.2); -1 in any field means "not known", as in SWF.</summary>
/// <param name="JobNumber">A counter, from 1.</param>
/// <param name="SubmitSeconds">When the job was submitted, seconds from the start of the trace.</param>
/// <param name="WaitSeconds">Time from submission to start (a model's trace leaves it -1).</param>
/// <param name="RunSeconds">Wall-clock time the job ran.</param>
/// <param name="AllocatedProcessors">Processors the job ran on.</param>
/// <param name="AverageCpuSeconds">CPU time per processor, averaged over the job's processors.</param>
/// <param name="UsedMemoryKb">Memory used per processor, in KB.</param>
/// <param name="RequestedProcessors">Processors the user asked for.</param>
/// <param name="RequestedSeconds">The user's run-time estimate (the limit backfilling relies on).</param>
/// <param name="RequestedMemoryKb">Memory asked for per processor, in KB.</param>
/// <param name="Status">1 done, 0 failed, 5 cancelled (SWF 2.2 also has 2, 3, 4 for checkpointed parts).</param>
/// <param name="User">User id (a number, anonymised in the archive).</param>
/// <param name="Group">Group id.</param>
/// <param name="Executable">Application number.</param>
/// <param name="Queue">Queue number; by SWF convention 0 is interactive.</param>
/// <param name="Partition">Partition number.</param>
/// <param name="PrecedingJob">A job this one waited for, or -1.</param>
/// <param name="ThinkTimeSeconds">Time from the preceding job's end to this job's submission.</param>
public sealed record SwfJob(
    long JobNumber,
    double SubmitSeconds,
    double WaitSeconds,
    double RunSeconds,
    int AllocatedProcessors,
    double AverageCpuSeconds,
    double UsedMemoryKb,
    int RequestedProcessors,
    double RequestedSeconds,
    double RequestedMemoryKb,
    int Status,
    int User,
    int Group,
    int Executable,
    int Queue,
    int Partition,
    long PrecedingJob,
    double ThinkTimeSeconds)
{
    /// <summary>SWF's marker for a field that is not known.</summary>
    public const int Missing = -1;

    /// <summary>The job's size: what it was given, else (when that is missing or 0, as for jobs
    /// cancelled before they started) what it asked for.</summary>
    public int Processors => AllocatedProcessors > 0 ? AllocatedProcessors : RequestedProcessors;

    /// <summary>What a scheduler may assume before the job runs: the user's estimate, else the run
    /// time itself (traces without estimates, where only a perfect estimate is available).</summary>
    public double RequestedOrRunSeconds => RequestedSeconds >= 0 ? RequestedSeconds : RunSeconds;
}
