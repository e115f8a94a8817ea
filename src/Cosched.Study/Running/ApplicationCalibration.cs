using Cosched.Study.Plan;
using Cosched.Study.Store;

namespace Cosched.Study.Running;

/// <summary>Chooses each NAS kernel's problem class for a study: the smallest class whose run lasts
/// at least <see cref="MinimumSeconds"/> natively on the study's ranks, found by running the classes
/// from W upwards once each. Class S runs for milliseconds, where start-up noise is most of what a
/// timer sees; a longer class costs more only once per configuration and round.</summary>
public static class ApplicationCalibration
{
    /// <summary>The shortest NAS run the study times (and the shortest a finding may rest on).</summary>
    public const double MinimumSeconds = 0.5;

    private static readonly string[] Candidates = ["W", "A", "B", "C"];

    /// <summary>The class of each kernel in <paramref name="kernels"/>; each calibration run is stored.
    /// With <paramref name="resume"/>, classes chosen before for these ranks are kept.</summary>
    public static Dictionary<string, string> Choose(ConfigurationRunner runner, IEnumerable<string> kernels, int ranks,
        ResultsStore store, long machineId, bool resume, TextWriter log)
    {
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        var earlier = resume ? store.Calibrations().Where(c => c.Chosen && c.Ranks == ranks).ToList() : [];
        foreach (var kernel in kernels)
        {
            if (earlier.LastOrDefault(c => c.Workload == kernel) is { } known)
            {
                chosen[kernel] = known.Class;
                continue;
            }
            var tried = new List<string>();
            foreach (var candidate in Candidates)
            {
                var configuration = new Configuration(Experiment.Applications, Configuration.Cosched, kernel, ranks, 0, "compact", "locality", candidate, 0);
                var outcome = runner.Run([configuration])[0];
                double seconds = outcome.Application?.Seconds ?? double.NaN;
                bool enough = !outcome.Ok || seconds >= MinimumSeconds || candidate == Candidates[^1];
                store.AddCalibration(new Calibration(kernel, ranks, candidate, outcome.Ok ? seconds : -1, enough), machineId);
                tried.Add(outcome.Ok ? $"{candidate} {seconds:0.00} s" : $"{candidate} failed");
                // A class that fails here fails in the study too, where its error is recorded.
                if (!enough) continue;
                chosen[kernel] = candidate;
                break;
            }
            log.WriteLine($"cosched study: NAS {StudyWorkloads.Title(kernel)} class {chosen[kernel]} (natively on {ranks} ranks: {string.Join(", ", tried)})");
        }
        return chosen;
    }
}
