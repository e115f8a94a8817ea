using Cosched.Scheduling.Profiles;

namespace Cosched.Scheduling.Model;

/// <summary>How fast a job runs where it is, predicted from the measured profiles: the one model the
/// simulator advances jobs with and the <c>cosched</c> policy decides with.
///
/// A job's slowdown on one host is 1 plus, for every co-runner there, the measured pair slowdown's
/// excess scaled by the co-runner's share of the host over the half it had when the pair was
/// measured (each application on half the cores). A job spread over several hosts advances as fast
/// as its slowest host allows (its ranks synchronise), times the measured cost of splitting it over
/// more VMs than the fewest whole hosts it needs. Without profiles (an <c>exclusive</c> run of a
/// trace), every job runs at its dedicated speed.</summary>
public sealed class CoRunModel(ProfileSet? profiles, int coresPerHost)
{
    public ProfileSet? Profiles { get; } = profiles;

    public double MigrationSeconds => Profiles?.MigrationSeconds ?? 0;

    /// <summary>The fewest VMs (whole hosts) a job of <paramref name="ranks"/> ranks needs.</summary>
    public int FewestVms(int ranks) => (ranks + coresPerHost - 1) / coresPerHost;

    /// <summary>Slowdown of an <paramref name="app"/> beside the given co-runners (app, cores) on a host.</summary>
    public double HostSlowdown(string app, IEnumerable<(string App, int Cores)> coRunners)
    {
        if (Profiles == null) return 1.0;
        double half = coresPerHost / 2.0, s = 1.0;
        foreach (var (other, cores) in coRunners)
            s += (Profiles.Slowdown(app, other) - 1.0) * cores / half;
        return s;
    }

    /// <summary>The split factor of <paramref name="job"/> over <paramref name="vms"/> VMs, relative
    /// to the fewest it needs (its dedicated run time already includes that many).</summary>
    public double SplitFactor(SchedJob job, int vms)
    {
        if (Profiles == null || !Profiles.Has(job.App)) return 1.0;
        var profile = Profiles[job.App];
        return profile.SplitFactor(vms) / profile.SplitFactor(FewestVms(job.Ranks));
    }

    /// <summary>Total slowdown of <paramref name="job"/> at <paramref name="allocation"/>, with
    /// <paramref name="coRunnersOn"/> giving who else runs on a host.</summary>
    public double Slowdown(SchedJob job, Allocation allocation, Func<int, IEnumerable<(string App, int Cores)>> coRunnersOn)
    {
        double worst = 1.0;
        foreach (var part in allocation.Parts) worst = Math.Max(worst, HostSlowdown(job.App, coRunnersOn(part.Host)));
        return worst * SplitFactor(job, allocation.Vms);
    }

    /// <summary>Slowdown of a running job where it is now in <paramref name="cluster"/>.</summary>
    public double SlowdownNow(RunningJob job, Cluster cluster) =>
        Slowdown(job.Job, job.Allocation, host => Others(cluster, host, job));

    /// <summary>The jobs on <paramref name="host"/> other than <paramref name="self"/>, as (app, cores).</summary>
    public static IEnumerable<(string App, int Cores)> Others(Cluster cluster, int host, RunningJob? self)
    {
        foreach (var (job, cores) in cluster.JobsOn(host))
            if (!ReferenceEquals(job, self)) yield return (job.Job.App, cores);
    }
}
