using Cosched.Study.Plan;
using Cosched.Study.Store;

namespace Cosched.Study.Running;

/// <summary>Chooses each NAS kernel's problem class for a study: the smallest class whose run lasts
/// at least <see cref="MinimumSeconds"/> natively on the study's ranks, with a margin, found by
/// running the classes from W upwards once each. Class S runs for milliseconds, where start-up noise
/// is most of what a timer sees; a longer class costs more only once per configuration and round.</summary>
public static class ApplicationCalibration
{
    /// <summary>The shortest NAS run the study times (and the shortest a finding may rest on).</summary>
    public const double MinimumSeconds = 0.5;

    /// <summary>The calibration run should last this much longer than the minimum: the study's runs of
    /// one class vary by ±15% on a shared 2-core host, and each must still reach the minimum.</summary>
    public const double Margin = 1.25;

    /// <summary>A class that reaches the minimum but not the margin is kept when the next class would
    /// run longer than this: NAS classes grow by 4x to 36x, and the quick study must stay within its
    /// five minutes (MG class B, 2.7 s here, cost it 20 s).</summary>
    public const double LongestSeconds = 2;

    private static readonly string[] Candidates = ["W", "A", "B", "C"];

    /// <summary>How much more work each class of <paramref name="kernel"/> is than the one before
    /// (W to A, A to B, B to C), from NPB's problem sizes: EP's random pairs, CG's nonzeros times
    /// iterations, FT's grid points times iterations, MG's grid times iterations, IS's keys.</summary>
    private static double[] Growth(string kernel) => kernel switch
    {
        "ep" => [8, 4, 4],
        "cg" => [3.6, 36, 2.6],
        "ft" => [16, 13.3, 4],
        "mg" => [8, 5, 8],
        "is" => [8, 4, 4],
        _ => throw new ArgumentException($"no NAS kernel '{kernel}'"),
    };

    /// <summary>The class of each kernel in <paramref name="kernels"/>; each calibration run is stored.
    /// A kernel whose calibration run fails gets that class, and its runs in the study record the error.
    /// With <paramref name="resume"/>, classes chosen before for these ranks are kept.</summary>
    public static Dictionary<string, string> Choose(ConfigurationRunner runner, IEnumerable<string> kernels, int ranks,
        ResultsStore store, long machineId, bool resume, TextWriter log, CancellationToken cancel = default)
    {
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        var earlier = resume ? store.Calibrations().Where(c => c.Chosen && c.Ranks == ranks).ToList() : [];
        foreach (var kernel in kernels)
        {
            if (cancel.IsCancellationRequested) break;
            if (earlier.LastOrDefault(c => c.Workload == kernel) is { } known)
            {
                chosen[kernel] = known.Class;
                continue;
            }
            var tried = new List<string>();
            for (int i = 0; i < Candidates.Length; i++)
            {
                string candidate = Candidates[i];
                var configuration = new Configuration(Experiment.Applications, Configuration.Cosched, kernel, ranks, 0, "compact", "locality", candidate, 0);
                var outcome = runner.Run([configuration], cancel)[0];
                if (cancel.IsCancellationRequested) return chosen;
                double seconds = outcome.Application?.Seconds ?? double.NaN;
                bool last = i == Candidates.Length - 1;
                bool enough = !outcome.Ok || last || seconds >= MinimumSeconds * Margin
                    || (seconds >= MinimumSeconds && seconds * Growth(kernel)[i] > LongestSeconds);
                store.AddCalibration(new Calibration(kernel, ranks, candidate, outcome.Ok ? seconds : -1, enough), machineId);
                tried.Add(outcome.Ok ? $"{candidate} {seconds:0.00} s" : $"{candidate} failed");
                if (!enough) continue;
                chosen[kernel] = candidate;
                break;
            }
            log.WriteLine($"cosched study: NAS {StudyWorkloads.Title(kernel)} class {chosen[kernel]} (natively on {ranks} ranks: {string.Join(", ", tried)})");
        }
        return chosen;
    }
}
