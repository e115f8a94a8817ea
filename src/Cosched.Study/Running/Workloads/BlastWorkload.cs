using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>`cosched blast search` on the study's synthetic proteins (<see cref="BlastStudyData"/>).
/// A search counts when every query found the protein it came from first, and its output is the
/// same as the first placement's of this study.</summary>
/// <param name="dataDirectory">where the data is made and kept (the study's directory).</param>
public sealed class BlastWorkload(IReadOnlyList<string> coschedCommand, string dataDirectory) : StudyWorkload
{
    // The digest of the first output of each query count: every placement must print the same hits.
    private readonly Dictionary<string, string> _digests = [];

    public override bool Handles(Configuration configuration) =>
        configuration.Mpi == Configuration.Cosched && configuration.Workload == StudyWorkloads.Blast;

    private static int Queries(Configuration configuration) => int.Parse(configuration.MsgLog, System.Globalization.CultureInfo.InvariantCulture);

    private BlastStudyData.Paths Data(Configuration configuration) => BlastStudyData.For(dataDirectory, Queries(configuration));

    /// <summary>Where the tabular output goes while it is checked: named after the configuration.</summary>
    private string Output(Configuration configuration) =>
        Path.Combine(Data(configuration).Directory,
            $"hits-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configuration.Key)))[..16]}.tsv");

    public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport)
    {
        var configuration = batch.Single();
        var data = Data(configuration);
        return [.. coschedCommand, "blast", "search", "--db", data.Database, "--query", data.Queries, "--out", Output(configuration),
            .. JobArguments(configuration, launchReport), "--format", "json"];
    }

    public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeSpan.FromMinutes(30);

    public override string? Prepare(Configuration configuration) =>
        BlastStudyData.Prepare(Data(configuration), Queries(configuration), coschedCommand);

    public override string? Subcommand => "blast";

    public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
    {
        var configuration = batch.Single();
        var (seconds, mcups, digest) = BenchJson.ParseBlast(output);
        var file = Output(configuration);
        string tabular = File.ReadAllText(file);
        File.Delete(file);
        int queries = Queries(configuration);
        var problem = BlastStudyData.Check(tabular, queries);
        if (problem == null && _digests.TryGetValue(configuration.MsgLog, out var first) && first != digest)
            problem = "its hits differ from the first placement's";
        _digests.TryAdd(configuration.MsgLog, digest);
        if (problem != null) return [RunOutcome.Failed($"blast: {problem}", command, vmKind)];
        var application = new ApplicationResult($"{queries} queries", queries, seconds, mcups, mcups / configuration.Ranks, Verified: true);
        return [new RunOutcome(true, null, vmKind, [], application, command)];
    }
}
