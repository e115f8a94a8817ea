namespace Cosched.Scheduling.Metrics;

/// <summary>How far the simulator is from a real run of the same queue with the same policy: the
/// relative error on the makespan and on each job's run time ((simulated - real) / real).</summary>
public sealed record CalibrationResult(string Policy, double RealMakespanS, double SimulatedMakespanS, double MakespanError,
    double MeanAbsoluteRunError, double MaxAbsoluteRunError, IReadOnlyList<JobError> Jobs)
{
    public static CalibrationResult Of(ScheduleResult real, ScheduleResult simulated)
    {
        var simulatedById = simulated.Jobs.ToDictionary(j => j.Id);
        var jobs = real.Jobs.OrderBy(j => j.Id)
            .Select(j => new JobError(j.Name, j.RunS, simulatedById[j.Id].RunS, (simulatedById[j.Id].RunS - j.RunS) / j.RunS))
            .ToList();
        return new CalibrationResult(real.Policy, real.Metrics.MakespanS, simulated.Metrics.MakespanS,
            (simulated.Metrics.MakespanS - real.Metrics.MakespanS) / real.Metrics.MakespanS,
            jobs.Average(j => Math.Abs(j.Error)), jobs.Max(j => Math.Abs(j.Error)), jobs);
    }
}

/// <summary>One job's real and simulated run time.</summary>
public sealed record JobError(string Name, double RealRunS, double SimulatedRunS, double Error);
