using Cosched.Scheduling.Model;
using Cosched.Scheduling.Profiles;
using Cosched.Scheduling.Traces;

namespace Cosched.Scheduling.Simulation;

/// <summary>The jobs a simulation runs from a Standard Workload Format trace. A job keeps its submit
/// time (from the trace's first), processors (one rank each), run time (its dedicated run time: under
/// <c>exclusive</c> it runs exactly that long) and requested time (EASY's estimate, never below the
/// run time). It is given a profiled application by its executable number when the trace has one
/// (the same program is the same application), else by its job number, modulo the number of
/// applications in name order: an even, reproducible mix. Jobs that never ran (run time or
/// processors missing or zero) and jobs larger than the simulated machine are left out and counted.</summary>
public static class TraceWorkload
{
    public sealed record Jobs(IReadOnlyList<SchedJob> List, int NeverRan, int TooLarge);

    public static Jobs From(SwfTrace trace, ProfileSet? profiles, int hosts, int coresPerHost)
    {
        var apps = profiles?.Applications.Select(a => a.Name).Order(StringComparer.Ordinal).ToArray() ?? [];
        int capacity = hosts * coresPerHost, neverRan = 0, tooLarge = 0;
        double first = trace.Jobs.Count > 0 ? trace.Jobs.Min(j => j.SubmitSeconds) : 0;
        var list = new List<SchedJob>(trace.Jobs.Count);
        foreach (var job in trace.Jobs)
        {
            int procs = job.Processors;
            if (job.RunSeconds <= 0 || procs <= 0) { neverRan++; continue; }
            if (procs > capacity) { tooLarge++; continue; }
            long key = job.Executable > 0 ? job.Executable : job.JobNumber;
            string app = apps.Length > 0 ? apps[(int)(Math.Abs(key) % apps.Length)] : "-";
            double requested = Math.Max(job.RequestedOrRunSeconds, job.RunSeconds);
            list.Add(new SchedJob(list.Count, $"job{job.JobNumber}", app, procs, job.SubmitSeconds - first, job.RunSeconds, requested));
        }
        return new Jobs(list, neverRan, tooLarge);
    }
}
