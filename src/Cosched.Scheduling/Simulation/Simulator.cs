using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Model;
using Cosched.Scheduling.Policies;

namespace Cosched.Scheduling.Simulation;

/// <summary>A discrete-event simulation of a policy on simulated hosts: jobs arrive at their submit
/// times; a running job advances at 1 / its predicted slowdown (<see cref="CoRunModel"/>) dedicated
/// seconds per second, recomputed whenever its hosts change, and stands still for the measured
/// migration time after each move of one of its VMs; it ends when its dedicated run time is done.
/// The policy runs at every point in time where something arrived, ended or moved.</summary>
public sealed class Simulator : IScheduleEffects
{
    private readonly SchedulingContext context;
    private readonly ISchedulingPolicy policy;
    private readonly CoRunModel model;
    private readonly PriorityQueue<(RunningJob Job, int Version), double> ends = new();
    private readonly List<JobRecord> done = [];

    private Simulator(int hosts, int coresPerHost, ISchedulingPolicy policy, CoRunModel model)
    {
        this.policy = policy;
        this.model = model;
        context = new SchedulingContext(new Cluster(hosts, coresPerHost), model, this);
    }

    /// <summary>Simulates <paramref name="jobs"/> (any order; each must fit the machine) to the end.</summary>
    public static ScheduleResult Run(IReadOnlyList<SchedJob> jobs, int hosts, int coresPerHost, ISchedulingPolicy policy, CoRunModel model, string workload)
    {
        foreach (var job in jobs)
            if (job.Ranks > hosts * coresPerHost)
                throw new ArgumentException($"job {job.Name} has {job.Ranks} ranks: more than the {hosts * coresPerHost} cores of {hosts} hosts");
        var sim = new Simulator(hosts, coresPerHost, policy, model);
        var records = sim.Run(jobs.OrderBy(j => j.SubmitS).ThenBy(j => j.Id).ToList());
        return new ScheduleResult("simulated", policy.Name, workload, hosts, coresPerHost, ScheduleMetrics.Of(records, hosts, coresPerHost), records);
    }

    private List<JobRecord> Run(List<SchedJob> jobs)
    {
        int next = 0;
        double now = double.NegativeInfinity;
        while (next < jobs.Count || ends.Count > 0)
        {
            double t = next < jobs.Count ? jobs[next].SubmitS : double.PositiveInfinity;
            while (ends.TryPeek(out var top, out double at) && top.Version != top.Job.Version) ends.Dequeue();
            if (ends.TryPeek(out _, out double end)) t = Math.Min(t, end);
            if (double.IsPositiveInfinity(t))
            {
                if (context.Waiting.Count > 0) throw new InvalidOperationException($"{policy.Name} left {context.Waiting.Count} jobs waiting with nothing running");
                break;
            }
            if (t < now) throw new InvalidOperationException($"time went back from {now} to {t}");
            now = t;
            context.Now = now;

            while (ends.TryPeek(out var top, out double at) && at <= now)
            {
                ends.Dequeue();
                if (top.Version != top.Job.Version) continue;
                context.Finish(top.Job);
                done.Add(JobRecord.Of(top.Job, now));
            }
            while (next < jobs.Count && jobs[next].SubmitS <= now) context.Submit(jobs[next++]);

            var touched = context.Schedule(policy, Advance);
            foreach (var job in touched) PlanEnd(job);
            if (context.Running.Count == 0 && context.Waiting.Count > 0 && next >= jobs.Count)
                throw new InvalidOperationException($"{policy.Name} started nothing though all {context.Cluster.Hosts} hosts are free ({context.Waiting[0].Name} waits)");
        }
        return done;
    }

    /// <summary>Brings a job's remaining work up to now at the slowdown it had until now.</summary>
    private void Advance(RunningJob job)
    {
        double from = Math.Max(job.LastUpdateS, job.PausedUntilS);
        if (context.Now > from) job.RemainingWork = Math.Max(0, job.RemainingWork - (context.Now - from) / job.Slowdown);
        job.LastUpdateS = context.Now;
    }

    private void PlanEnd(RunningJob job)
    {
        job.Version++;
        double at = Math.Max(context.Now, job.PausedUntilS) + job.RemainingWork * job.Slowdown;
        ends.Enqueue((job, job.Version), at);
    }

    public void Started(RunningJob job)
    {
        job.LastUpdateS = context.Now;
        job.PausedUntilS = context.Now;
    }

    public void Moved(RunningJob job, int part, int fromHost, int toHost)
    {
        Advance(job);
        job.PausedUntilS = Math.Max(job.PausedUntilS, context.Now) + model.MigrationSeconds;
    }
}
