using Cosched.Scheduling.Profiles;
using Cosched.Study.Report;

namespace Cosched.Scheduling.Profiling;

/// <summary>Turns raw profile measurements into the profile set the scheduler reads: medians of the
/// rounds, and ratios of medians for slowdowns, bandwidth and split overhead.</summary>
public static class ProfileSummary
{
    /// <param name="applications">(name, command) in the order the profile lists them.</param>
    public static ProfileSet From(IReadOnlyList<(string Name, string Command)> applications, IReadOnlyList<ProfileMeasurement> rows, string machine)
    {
        double? Median(Func<ProfileMeasurement, bool> which)
        {
            var values = rows.Where(which).Select(r => r.Value).Where(v => double.IsFinite(v) && v > 0).ToList();
            return values.Count == 0 ? null : Statistics.Median(values);
        }
        double? probeAlone = Median(r => r.Kind == ProfileMeasurement.Probe && r.App == ProfileMeasurement.ProbeApp);
        var profiles = new List<ApplicationProfile>();
        var coRuns = new List<CoRun>();
        foreach (var (name, command) in applications)
        {
            var runSeconds = rows.Where(r => r.App == name && r.Kind == ProfileMeasurement.Alone).Select(r => r.Ranks).Distinct().Order()
                .Select(n => (n, Seconds: Median(r => r.App == name && r.Kind == ProfileMeasurement.Alone && r.Ranks == n)))
                .Where(x => x.Seconds != null).ToDictionary(x => x.n, x => x.Seconds!.Value);
            double? probeBeside = Median(r => r.Kind == ProfileMeasurement.Probe && r.App == name);
            // The share of the probe's bandwidth that the application took away from it.
            double bandwidth = probeAlone is { } alone && probeBeside is { } beside ? Math.Clamp(1 - beside / alone, 0, 1) : 0;
            var split = new Dictionary<int, double> { [1] = 1.0 };
            foreach (var vms in rows.Where(r => r.App == name && r.Kind == ProfileMeasurement.Split).Select(r => r.Vms).Distinct().Order())
            {
                var ranks = rows.First(r => r.App == name && r.Kind == ProfileMeasurement.Split && r.Vms == vms).Ranks;
                if (Median(r => r.App == name && r.Kind == ProfileMeasurement.Split && r.Vms == vms) is { } inVms && runSeconds.TryGetValue(ranks, out var native))
                    split[vms] = inVms / native;
            }
            var launch = new Dictionary<int, double>();
            foreach (var (n, timed) in runSeconds)
                if (Median(r => r.App == name && r.Kind == ProfileMeasurement.Launched && r.Ranks == n) is { } wall) launch[n] = Math.Max(0, wall - timed);
            profiles.Add(new ApplicationProfile(name, command, runSeconds, bandwidth, split) { LaunchSeconds = launch });
            if (!runSeconds.TryGetValue(1, out var oneRank)) continue;
            foreach (var (other, _) in applications)
                if (Median(r => r.App == name && r.Kind == ProfileMeasurement.CoRun && r.Beside == other) is { } besideOther)
                    coRuns.Add(new CoRun(name, other, besideOther / oneRank));
        }
        double migration = Median(r => r.Kind == ProfileMeasurement.Move) ?? 0;
        string splitKind = rows.FirstOrDefault(r => r.Kind == ProfileMeasurement.Split)?.VmKind ?? "";
        return new ProfileSet(profiles, coRuns, migration, machine) { ProbeGBps = probeAlone ?? 0, SplitVmKind = splitKind };
    }
}
