using System.Text.Json;
using Cosched.Study.Plan;
using Cosched.Study.Running.Workloads;

namespace Cosched.Study.Running;

/// <summary>Runs one measurement: the command a workload builds for a configuration (or for a batch of
/// configurations it measures together), under the workload's time limit, and hands the output back
/// to the workload to read. It knows no workload by name; where the ranks ran it learns from the
/// launcher's machine-readable report.</summary>
public sealed class ConfigurationRunner(IReadOnlyList<StudyWorkload> workloads)
{
    /// <summary>The workloads of a study with this Cosched command, IMB binaries (Open MPI's, and one
    /// built with cosched mpicc), data directory and NPB binaries.</summary>
    public static ConfigurationRunner For(IReadOnlyList<string> coschedCommand, string? imbPath, string dataDirectory,
        string? coschedImbPath = null, IReadOnlyList<NpbBinary>? npbBinaries = null) =>
        new([new MicroBenchmarkWorkload(coschedCommand), new CoschedImbWorkload(coschedCommand, coschedImbPath), new OpenMpiImbWorkload(coschedCommand, imbPath),
             new NasWorkload(coschedCommand), new NpbBinaryWorkload(coschedCommand, npbBinaries ?? []), new BlastWorkload(coschedCommand, dataDirectory),
             new MigrationWorkload(coschedCommand)]);

    public StudyWorkload WorkloadOf(Configuration configuration) =>
        workloads.FirstOrDefault(w => w.Handles(configuration)) ?? throw new ArgumentException($"no workload measures {configuration.Key}");

    /// <summary>Groups a plan into what one command measures, in plan order.</summary>
    public List<List<Configuration>> Batches(IEnumerable<Configuration> plan)
    {
        var batches = new List<List<Configuration>>();
        var byKey = new Dictionary<string, List<Configuration>>();
        foreach (var configuration in plan)
        {
            var key = WorkloadOf(configuration).BatchKey(configuration);
            if (key != null && byKey.TryGetValue(key, out var batch)) batch.Add(configuration);
            else
            {
                batch = [configuration];
                batches.Add(batch);
                if (key != null) byKey[key] = batch;
            }
        }
        return batches;
    }

    /// <summary>Runs the batch once; one outcome per configuration, in order. When
    /// <paramref name="cancel"/> is set (the study was interrupted) the command is ended and every
    /// outcome fails as interrupted.</summary>
    public IReadOnlyList<RunOutcome> Run(IReadOnlyList<Configuration> batch, CancellationToken cancel = default)
    {
        var workload = WorkloadOf(batch[0]);
        var report = Path.Combine(Path.GetTempPath(), $"cosched-study-{Guid.NewGuid():N}.json");
        var command = workload.Command(batch, report);
        string shown = string.Join(' ', command);
        IReadOnlyList<RunOutcome> FailAll(string error, string kind = "") => [.. batch.Select(_ => RunOutcome.Failed(error, shown, kind))];
        try
        {
            if (batch.Select(workload.Prepare).FirstOrDefault(p => p != null) is { } problem) return FailAll(problem);
            ChildProcess.Result result;
            try
            {
                result = ChildProcess.Run(command, workload.Timeout(batch), workload.Environment, cancel);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return FailAll($"could not start {command[0]}: {e.Message}");
            }
            if (result.Interrupted) return FailAll("interrupted");
            var launch = LaunchInfo.Take(report);
            string kind = launch?.VmKind ?? (batch[0].Vms == 0 ? "native" : "unknown");
            if (result.TimedOut) return FailAll($"timed out after {workload.Timeout(batch).TotalSeconds:F0} s", kind);
            if (result.ExitCode != 0) return FailAll(Explain(workload, result), kind);
            return [.. workload.Read(batch, result.Output, shown, kind).Select(o => o with { LaunchReport = launch?.Json })];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            return FailAll($"unreadable output ({e.Message})");
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>One line that says why a run failed, naming a command this build lacks.</summary>
    private static string Explain(StudyWorkload workload, ChildProcess.Result result)
    {
        var lines = (result.Error + "\n" + result.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (workload.Subcommand is { } missing && result.ExitCode == 2
            && lines.Any(l => l.Contains($"'{missing}'", StringComparison.Ordinal) || l.Contains("Required command was not provided", StringComparison.Ordinal)))
            return $"needs `cosched {missing}`, which this build of Cosched lacks";
        // The launcher's own notes ("cosched: job ID: 2 VMs ...", warnings) are not the reason.
        var reason = lines.FirstOrDefault(l => l.StartsWith("cosched:", StringComparison.Ordinal)
                && !l.StartsWith("cosched: job ", StringComparison.Ordinal) && !l.StartsWith("cosched: warning:", StringComparison.Ordinal))
            ?? lines.LastOrDefault() ?? "no output";
        return $"exit code {result.ExitCode}: {(reason.Length > 300 ? reason[..300] + "..." : reason)}";
    }
}
