namespace Cosched.Scheduling.Metrics;

/// <summary>The figures every run and simulation reports (names as in <c>--format json</c>).</summary>
/// <param name="MakespanS">From the first submit to the last end.</param>
/// <param name="Utilisation">Useful core-seconds (ranks times dedicated run time) over the cores
/// times the makespan: a job slowed by a co-runner does not count as more work.</param>
/// <param name="MeanBoundedSlowdown">Mean of max(1, (wait + run) / max(run, 10 s)).</param>
/// <param name="Migrations">Jobs that had to be migrated at least once.</param>
/// <param name="Moves">VM moves in all.</param>
public sealed record ScheduleMetrics(int Jobs, double MakespanS, double Utilisation, double MeanWaitS, double P95WaitS,
    double MeanBoundedSlowdown, double JobsPerHour, int Migrations, int Moves)
{
    public const double SlowdownBoundS = 10.0;

    public static ScheduleMetrics Of(IReadOnlyList<JobRecord> jobs, int hosts, int coresPerHost)
    {
        if (jobs.Count == 0) return new ScheduleMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0);
        double first = jobs.Min(j => j.SubmitS), last = jobs.Max(j => j.EndS), makespan = last - first;
        var waits = jobs.Select(j => j.WaitS).Order().ToArray();
        double work = jobs.Sum(j => j.Ranks * j.DedicatedS);
        return new ScheduleMetrics(
            jobs.Count,
            makespan,
            makespan > 0 ? work / ((double)hosts * coresPerHost * makespan) : 0,
            waits.Average(),
            Percentile(waits, 0.95),
            jobs.Average(j => j.BoundedSlowdown),
            makespan > 0 ? jobs.Count * 3600.0 / makespan : 0,
            jobs.Count(j => j.Moves > 0),
            jobs.Sum(j => j.Moves));
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
