using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>One kind of program the study runs (a Cosched micro-benchmark, a NAS kernel, the BLAST
/// search, NPB's own binaries, Intel MPI Benchmarks on Cosched or under Open MPI): it builds the command for a configuration, names
/// how long it may take, and turns the command's output into measurements, checking its result.
/// <see cref="ConfigurationRunner"/> only runs what these build.</summary>
public abstract class StudyWorkload
{
    /// <summary>Whether this workload measures <paramref name="configuration"/>.</summary>
    public abstract bool Handles(Configuration configuration);

    /// <summary>Configurations with the same key are measured by one command (one launch, as
    /// IMB-MPI1 runs several benchmarks in one job); null: it runs alone.</summary>
    public virtual string? BatchKey(Configuration configuration) => null;

    /// <summary>The command line that measures <paramref name="batch"/>; a Cosched launcher in it
    /// writes its launch report to <paramref name="launchReport"/>.</summary>
    public abstract IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport);

    /// <summary>Extra environment of the command.</summary>
    public virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>();

    /// <summary>How long the command may run before it counts as hung.</summary>
    public abstract TimeSpan Timeout(IReadOnlyList<Configuration> batch);

    /// <summary>Makes what the command needs (data files); null, or why it cannot run.</summary>
    public virtual string? Prepare(Configuration configuration) => null;

    /// <summary>The `cosched` subcommand the workload needs, to explain a build that lacks it.</summary>
    public virtual string? Subcommand => null;

    /// <summary>One outcome per configuration of the batch, from the command's standard output.
    /// Throws <see cref="System.Text.Json.JsonException"/>, <see cref="FormatException"/> or
    /// <see cref="KeyNotFoundException"/> on output it cannot read.</summary>
    public abstract IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind);

    protected static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What a micro-benchmark's placement is: its configurations that share it run in one command.</summary>
    protected static string PlacementKey(Configuration c) => $"n{c.Ranks}/vms{c.Vms}/{c.Pin}/{c.Channels}/{c.MsgLog}/{Text(c.Seconds)}";

    /// <summary>-n, --channels and the VM options of a Cosched command.</summary>
    protected static IEnumerable<string> JobArguments(Configuration configuration, string launchReport)
    {
        yield return "-n";
        yield return Text(configuration.Ranks);
        yield return "--channels";
        yield return configuration.Channels;
        if (configuration.Vms > 0)
        {
            yield return "--vms";
            yield return Text(configuration.Vms);
            yield return "--pin";
            yield return configuration.Pin;
        }
        yield return "--launch-report";
        yield return launchReport;
    }
}
