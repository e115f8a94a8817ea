using System.Globalization;
using System.Text.Json;
using Cosched.Domains;
using Cosched.Study.Plan;

namespace Cosched.Study.Running;

/// <summary>Measures one configuration by running the command a user would: `cosched bench`,
/// `cosched npb`, `cosched blast search`, or Intel MPI Benchmarks under Open MPI (natively through
/// mpirun, across VMs through `cosched mpirun`), and turns its output into rows.</summary>
/// <param name="rounds">how many times each configuration runs; the report keeps each size's best
/// round, and of an application its fastest run (a single run on a shared host is noise).</param>
/// <param name="dataDirectory">where the BLAST search's data is made and kept (the study's directory).</param>
public sealed class ConfigurationRunner(IReadOnlyList<string> coschedCommand, string? imbPath, int rounds = 1, string dataDirectory = ".")
{
    // The digest of the first BLAST output of each size: every placement must print the same hits.
    private readonly Dictionary<string, string> _blastDigests = [];

    /// <summary>The command line that measures <paramref name="configuration"/>.</summary>
    public IReadOnlyList<string> CommandFor(Configuration configuration)
    {
        if (configuration.Mpi == Configuration.OpenMpi) return OpenMpiCommand(configuration);
        var command = new List<string>(coschedCommand);
        if (configuration.Workload == StudyWorkloads.Blast)
        {
            var data = BlastStudyData.For(dataDirectory, BlastQueries(configuration));
            command.AddRange(["blast", "search", "--db", data.Database, "--query", data.Queries, "--out", BlastOutput(configuration)]);
        }
        else if (configuration.Experiment == Experiment.Applications)
            command.AddRange(["npb", configuration.Workload, "--class", configuration.MsgLog]);
        else
            command.AddRange(["bench", configuration.Workload, "--msglog", configuration.MsgLog,
                "--time", configuration.Seconds.ToString(CultureInfo.InvariantCulture)]);
        command.AddRange(["-n", configuration.Ranks.ToString(CultureInfo.InvariantCulture), "--channels", configuration.Channels]);
        if (configuration.Vms > 0)
            command.AddRange(["--vms", configuration.Vms.ToString(CultureInfo.InvariantCulture), "--pin", configuration.Pin]);
        command.AddRange(["--format", "json"]);
        return command;
    }

    private List<string> OpenMpiCommand(Configuration configuration)
    {
        string n = configuration.Ranks.ToString(CultureInfo.InvariantCulture);
        // IMB gives up ("time-out") once its sizes together took longer than -time times their number,
        // which a busy host reaches with a -time of a few hundredths; half a second keeps that rare
        // without letting one slow size run for IMB's default 10 s.
        string[] imb = [imbPath ?? "IMB-MPI1", "-npmin", n, "-msglog", configuration.MsgLog,
            "-time", Math.Max(0.5, configuration.Seconds).ToString(CultureInfo.InvariantCulture), "-mem", "1", StudyWorkloads.ImbName(configuration.Workload)];
        if (configuration.Vms > 0)
            return [.. coschedCommand, "mpirun", "-n", n, "--vms", configuration.Vms.ToString(CultureInfo.InvariantCulture),
                "--pin", configuration.Pin, "--channels", "per-vm", "--", .. imb];
        var command = new List<string> { HostSupport.FindTool("mpirun") ?? "mpirun", "-np", n };
        // Binding to cores fails when there are more ranks than cores; Open MPI then has to oversubscribe.
        command.AddRange(configuration.Ranks <= Environment.ProcessorCount ? ["--bind-to", "core"] : ["--oversubscribe", "--bind-to", "none"]);
        if (configuration.Channels == "network") command.AddRange(["--mca", "btl", "tcp,self"]);
        return [.. command, .. imb];
    }

    private static int BlastQueries(Configuration configuration) => int.Parse(configuration.MsgLog, CultureInfo.InvariantCulture);

    /// <summary>Where a BLAST configuration's tabular output goes while it is checked.</summary>
    private string BlastOutput(Configuration configuration) =>
        Path.Combine(BlastStudyData.For(dataDirectory, BlastQueries(configuration)).Directory,
            $"hits-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configuration.Key)))[..16]}.tsv");

    /// <summary>How long a configuration may run before it counts as hung: every message size may
    /// take its --time a few times over (warm-up, several ranks), plus start-up and VM set-up.</summary>
    public static TimeSpan TimeoutFor(Configuration configuration)
    {
        if (configuration.Experiment == Experiment.Applications) return TimeSpan.FromMinutes(30);
        // Per round.
        int sizes = 2 + (configuration.MsgLog.Split(':') is [var a, var b] && int.TryParse(a, out int min) && int.TryParse(b, out int max) ? Math.Max(0, max - min) : 23);
        return TimeSpan.FromSeconds(60 + sizes * configuration.Seconds * 5 * Math.Max(1, configuration.Ranks / Math.Max(1, Environment.ProcessorCount)));
    }

    /// <summary>Runs the configuration's rounds; the first round that fails makes the configuration
    /// fail. Micro-benchmark rows of every round are kept; of an application, the fastest run.</summary>
    public RunOutcome Run(Configuration configuration)
    {
        RunOutcome? combined = null;
        for (int round = 0; round < Math.Max(1, rounds); round++)
        {
            var outcome = RunOnce(configuration);
            if (!outcome.Ok) return outcome;
            if (outcome.Application != null)
            {
                if (combined?.Application == null || outcome.Application.Seconds < combined.Application.Seconds) combined = outcome;
                continue;
            }
            var rows = outcome.Measurements.Select(m => m with { Round = round }).ToList();
            combined = combined == null ? outcome with { Measurements = rows } : combined with { Measurements = [.. combined.Measurements, .. rows] };
        }
        return combined!;
    }

    private RunOutcome RunOnce(Configuration configuration)
    {
        var command = CommandFor(configuration);
        string shown = string.Join(' ', command);
        if (configuration.Mpi == Configuration.OpenMpi && configuration.Vms == 0 && HostSupport.FindTool("mpirun") == null)
            return RunOutcome.Failed("mpirun not found: install Open MPI (apt-get install openmpi-bin)", shown);
        if (configuration.Workload == StudyWorkloads.Blast
            && BlastStudyData.Prepare(BlastStudyData.For(dataDirectory, BlastQueries(configuration)), BlastQueries(configuration), coschedCommand) is { } problem)
            return RunOutcome.Failed(problem, shown);

        var environment = new Dictionary<string, string>();
        if (configuration.Mpi == Configuration.OpenMpi)
        {
            environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
        ChildProcess.Result result;
        try
        {
            result = ChildProcess.Run(command, TimeoutFor(configuration), environment);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return RunOutcome.Failed($"could not start {command[0]}: {e.Message}", shown);
        }
        if (result.TimedOut)
            return RunOutcome.Failed($"timed out after {TimeoutFor(configuration).TotalSeconds:F0} s", shown);
        if (result.ExitCode != 0)
            return RunOutcome.Failed(Explain(configuration, result), shown);

        try
        {
            if (configuration.Mpi == Configuration.OpenMpi)
            {
                var rows = ImbOutput.Parse(result.Output, StudyWorkloads.ImbName(configuration.Workload));
                return rows.Count == 0
                    ? RunOutcome.Failed(result.Output.Contains("time-out", StringComparison.Ordinal)
                        ? "Intel MPI Benchmarks timed out (a size took longer than its -time)" : "Intel MPI Benchmarks printed no result table", shown)
                    : new RunOutcome(true, null, KindOr(VmKindFromLauncher(result.Error, configuration), configuration), rows, null, shown);
            }
            if (configuration.Workload == StudyWorkloads.Blast) return BlastOutcome(configuration, result, shown);
            if (configuration.Experiment == Experiment.Applications)
            {
                var (kind, application) = BenchJson.ParseNpb(result.Output);
                return application.Verified
                    ? new RunOutcome(true, null, KindOr(kind.Length > 0 ? kind : VmKindFromLauncher(result.Error, configuration), configuration), [], application, shown)
                    : RunOutcome.Failed($"{configuration.Workload} class {application.Class}: verification failed", shown, kind);
            }
            var (vmKind, measurements) = BenchJson.ParseBench(result.Output);
            return measurements.Count == 0
                ? RunOutcome.Failed("the benchmark printed no rows", shown, vmKind)
                : new RunOutcome(true, null, KindOr(vmKind, configuration), measurements, null, shown);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return RunOutcome.Failed($"unreadable output ({e.Message})", shown);
        }
    }

    /// <summary>A BLAST search counts when every query found the protein it came from first, and
    /// its output is the same as the first placement's of this study.</summary>
    private RunOutcome BlastOutcome(Configuration configuration, ChildProcess.Result result, string shown)
    {
        var (seconds, mcups, digest) = BenchJson.ParseBlast(result.Output);
        var output = BlastOutput(configuration);
        string tabular = File.ReadAllText(output);
        File.Delete(output);
        int queries = BlastQueries(configuration);
        var problem = BlastStudyData.Check(tabular, queries);
        if (problem == null && _blastDigests.TryGetValue(configuration.MsgLog, out var first) && first != digest)
            problem = "its hits differ from the first placement's";
        _blastDigests.TryAdd(configuration.MsgLog, digest);
        string kind = KindOr(VmKindFromLauncher(result.Error, configuration), configuration);
        if (problem != null) return RunOutcome.Failed($"blast: {problem}", shown, kind);
        var application = new ApplicationResult($"{queries} queries", queries, seconds, mcups, mcups / configuration.Ranks, Verified: true);
        return new RunOutcome(true, null, kind, [], application, shown);
    }

    private static string KindOr(string kind, Configuration configuration) =>
        kind.Length > 0 ? kind : configuration.Vms == 0 ? "native" : "unknown";

    /// <summary>A cosched launcher names its VM provider on stderr ("2 VMs with the namespace provider").</summary>
    private static string VmKindFromLauncher(string error, Configuration configuration) =>
        configuration.Vms == 0 ? "native"
        : error.Contains("namespace provider", StringComparison.Ordinal) ? "namespace"
        : error.Contains("process provider", StringComparison.Ordinal) ? "process" : "";

    /// <summary>One line that says why a configuration failed, naming a command this build lacks.</summary>
    private static string Explain(Configuration configuration, ChildProcess.Result result)
    {
        var lines = (result.Error + "\n" + result.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? missing = configuration.Workload == StudyWorkloads.Blast ? "blast"
            : configuration.Experiment == Experiment.Applications ? "npb"
            : configuration.Mpi == Configuration.OpenMpi && configuration.Vms > 0 ? "mpirun" : null;
        if (missing != null && result.ExitCode == 2 && lines.Any(l => l.Contains($"'{missing}'", StringComparison.Ordinal) || l.Contains("Required command was not provided", StringComparison.Ordinal)))
            return $"needs `cosched {missing}`, which this build of Cosched lacks";
        var reason = lines.FirstOrDefault(l => l.StartsWith("cosched:", StringComparison.Ordinal) && !l.Contains(" VMs with the ", StringComparison.Ordinal))
            ?? lines.LastOrDefault() ?? "no output";
        return $"exit code {result.ExitCode}: {(reason.Length > 300 ? reason[..300] + "..." : reason)}";
    }
}
