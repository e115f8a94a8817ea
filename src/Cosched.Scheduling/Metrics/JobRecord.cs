using Cosched.Scheduling.Model;

namespace Cosched.Scheduling.Metrics;

/// <summary>What happened to one job in a run or a simulation.</summary>
/// <param name="DedicatedS">Its dedicated run time (the trace's, or the profile's for a real queue).</param>
/// <param name="Placements">Where its VMs were: at the start and after each move.</param>
public sealed record JobRecord(int Id, string Name, string App, int Ranks, double SubmitS, double StartS, double EndS,
    double DedicatedS, int Moves, IReadOnlyList<PlacementChange> Placements, string? Error = null)
{
    public double WaitS => StartS - SubmitS;
    public double RunS => EndS - StartS;

    /// <summary>Feitelson's bounded slowdown with a 10 s bound: short jobs do not dominate the mean.</summary>
    public double BoundedSlowdown => Math.Max(1.0, (WaitS + RunS) / Math.Max(RunS, ScheduleMetrics.SlowdownBoundS));

    public static JobRecord Of(RunningJob job, double endS, string? error = null) =>
        new(job.Job.Id, job.Job.Name, job.Job.App, job.Job.Ranks, job.Job.SubmitS, job.StartS, endS, job.Job.RunS, job.Moves,
            job.History.Select(h => new PlacementChange(h.AtS, h.Allocation.Parts)).ToList(), error);
}

/// <summary>A job's VMs (host and cores each) from <paramref name="AtS"/> on.</summary>
public sealed record PlacementChange(double AtS, IReadOnlyList<VmPart> Vms);
