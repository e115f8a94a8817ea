using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Policies;

/// <summary>What a policy sees and does at one scheduling point: the time, the hosts, the waiting
/// queue in submit order, the running jobs; it starts and moves jobs only through this, so the
/// simulator and the real runner apply the same decisions (<see cref="IScheduleEffects"/>).</summary>
public sealed class SchedulingContext(Cluster cluster, CoRunModel model, IScheduleEffects effects)
{
    private readonly List<SchedJob> waiting = [];
    private readonly HashSet<int> startedNow = [];
    private readonly Dictionary<int, RunningJob> running = [];
    private readonly SortedSet<(double EndS, int Id)> byEstimatedEnd = [];

    public double Now { get; internal set; }
    public Cluster Cluster { get; } = cluster;
    public CoRunModel Model { get; } = model;

    /// <summary>The jobs waiting, in submit order (those started at this point already left it).</summary>
    public IReadOnlyList<SchedJob> Waiting => waiting;
    public IReadOnlyCollection<RunningJob> Running => running.Values;

    /// <summary>Hosts whose jobs changed since the policy last ran (starts, ends, moves).</summary>
    public HashSet<int> ChangedHosts { get; } = [];

    /// <summary>The running jobs by the time EASY plans for them to end, earliest first.</summary>
    public IEnumerable<RunningJob> RunningByEstimatedEnd
    {
        get { foreach (var (_, id) in byEstimatedEnd) yield return running[id]; }
    }

    public bool IsWaiting(SchedJob job) => !startedNow.Contains(job.Id);

    public RunningJob Start(SchedJob job, Allocation allocation)
    {
        if (!startedNow.Add(job.Id)) throw new InvalidOperationException($"{job.Name} started twice");
        var run = new RunningJob(job, allocation, Now);
        Cluster.Place(run);
        run.Slowdown = Model.SlowdownNow(run, Cluster);
        running.Add(job.Id, run);
        byEstimatedEnd.Add((run.EstimatedEndS, job.Id));
        foreach (var part in allocation.Parts) ChangedHosts.Add(part.Host);
        effects.Started(run);
        return run;
    }

    /// <summary>Moves VM <paramref name="part"/> of a running job to <paramref name="host"/> (a live migration).</summary>
    public void Move(RunningJob job, int part, int host)
    {
        int from = job.Allocation.Parts[part].Host;
        Cluster.Move(job, part, host);
        Moved(job, part, from, host);
    }

    /// <summary>Swaps two single VMs of the same size between their hosts (two live migrations).</summary>
    public void Swap(RunningJob a, int partA, RunningJob b, int partB)
    {
        int hostA = a.Allocation.Parts[partA].Host, hostB = b.Allocation.Parts[partB].Host;
        Cluster.Swap(a, partA, b, partB);
        Moved(a, partA, hostA, hostB);
        Moved(b, partB, hostB, hostA);
    }

    private void Moved(RunningJob job, int part, int from, int to)
    {
        job.Moves++;
        job.History.Add((Now, job.Allocation));
        ChangedHosts.Add(from);
        ChangedHosts.Add(to);
        effects.Moved(job, part, from, to);
    }

    internal void Submit(SchedJob job) => waiting.Add(job);

    internal void Finish(RunningJob job)
    {
        Cluster.Remove(job);
        running.Remove(job.Job.Id);
        byEstimatedEnd.Remove((job.EstimatedEndS, job.Job.Id));
        foreach (var part in job.Allocation.Parts) ChangedHosts.Add(part.Host);
    }

    /// <summary>Runs the policy once, takes the jobs it started out of the queue, and returns the
    /// jobs whose hosts changed with their new predicted slowdowns set (each once); the caller first
    /// gets <paramref name="beforeChange"/> for each, while its old slowdown still holds.</summary>
    internal List<RunningJob> Schedule(ISchedulingPolicy policy, Action<RunningJob> beforeChange)
    {
        policy.Schedule(this);
        if (startedNow.Count > 0)
        {
            waiting.RemoveAll(j => startedNow.Contains(j.Id));
            startedNow.Clear();
        }
        var touched = new List<RunningJob>();
        var seen = new HashSet<int>();
        foreach (int host in ChangedHosts)
            foreach (var (job, _) in Cluster.JobsOn(host))
                if (seen.Add(job.Job.Id)) touched.Add(job);
        ChangedHosts.Clear();
        foreach (var job in touched)
        {
            beforeChange(job);
            job.Slowdown = Model.SlowdownNow(job, Cluster);
        }
        return touched;
    }
}

/// <summary>What starting and moving a job does: advance the simulated clock's jobs, or launch and
/// migrate real ones.</summary>
public interface IScheduleEffects
{
    void Started(RunningJob job);
    void Moved(RunningJob job, int part, int fromHost, int toHost);
}
