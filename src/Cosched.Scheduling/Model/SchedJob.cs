namespace Cosched.Scheduling.Model;

/// <summary>One job the scheduler must run: from a queue file (real runs) or a trace (simulation).</summary>
/// <param name="Id">Its index in the queue or trace, 0-based; ties in submit time start in this order.</param>
/// <param name="App">The profiled application it runs (a <see cref="Profiles.ApplicationProfile.Name"/>).</param>
/// <param name="Ranks">Its ranks, one core each.</param>
/// <param name="RunS">Its dedicated run time (on whole hosts, alone): the trace's run time, or the
/// profile's for a real queue.</param>
/// <param name="RequestedS">The estimate EASY backfilling plans with (a trace's requested time;
/// never below <paramref name="RunS"/>).</param>
/// <param name="Command">The workload command line, for real runs.</param>
public sealed record SchedJob(int Id, string Name, string App, int Ranks, double SubmitS, double RunS, double RequestedS, string? Command = null);
