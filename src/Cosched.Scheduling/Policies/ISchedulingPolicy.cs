namespace Cosched.Scheduling.Policies;

/// <summary>A scheduling policy: at every scheduling point (a job arrives, ends, or a move ends) it
/// starts waiting jobs and may move running ones.</summary>
public interface ISchedulingPolicy
{
    string Name { get; }
    void Schedule(SchedulingContext context);
}
