using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Policies;

/// <summary>First come, first served with EASY backfilling (Lifka's, as Slurm's backfill scheduler
/// does it), over whatever unit a policy counts (whole hosts, slots, cores): jobs start in submit
/// order while they fit; the first that does not gets a reservation at the earliest time enough
/// units free up (by the running jobs' requested times), and later jobs may start now only if they
/// end by then or use only units the reservation does not need. So a backfilled job never delays
/// the head job, as long as jobs end by their requested times.</summary>
internal sealed class EasyBackfilling(Func<SchedJob, int> need, Func<int> free, Func<RunningJob, int> held)
{
    /// <summary>How many jobs behind the head are tried, as Slurm's bf_max_job_test bounds its
    /// backfill pass (its default is 500); keeps each scheduling point's cost bounded on long queues.</summary>
    public const int Depth = 500;

    /// <param name="tryStart">Starts the job now if the policy finds a place it accepts.</param>
    public void Schedule(SchedulingContext context, Func<SchedJob, bool> tryStart)
    {
        var queue = context.Waiting;
        int i = 0;
        for (; i < queue.Count; i++)
            if (need(queue[i]) > free() || !tryStart(queue[i])) break;
        if (i >= queue.Count || free() == 0) return;

        var head = queue[i];
        int available = free(), wanted = need(head);
        double shadow = double.PositiveInfinity;
        int extra = 0;
        foreach (var run in context.RunningByEstimatedEnd)
        {
            available += held(run);
            if (available < wanted) continue;
            shadow = Math.Max(run.EstimatedEndS, context.Now);
            extra = available - wanted;
            break;
        }
        if (double.IsPositiveInfinity(shadow)) extra = free(); // the head cannot start before a running job ends unplanned

        int last = Math.Min(queue.Count, i + 1 + Depth);
        for (int j = i + 1; j < last && free() > 0; j++)
        {
            var job = queue[j];
            int n = need(job);
            if (n > free()) continue;
            bool endsInTime = context.Now + job.RequestedS <= shadow;
            if (!endsInTime && n > extra) continue;
            if (tryStart(job) && !endsInTime) extra -= n;
        }
    }
}
