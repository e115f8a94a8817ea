using Cosched.Study.Plan;

namespace Cosched.Study.Running.Workloads;

/// <summary>Intel MPI Benchmarks' IMB-MPI1, whichever MPI it was built with: its command line for a
/// batch of micro-benchmarks of one placement, and the outcome of each from the tables it printed.</summary>
public static class ImbInvocation
{
    /// <summary>IMB-MPI1 running <paramref name="batch"/>'s benchmarks, one after the other in one job.</summary>
    public static IReadOnlyList<string> Arguments(string imbPath, IReadOnlyList<Configuration> batch)
    {
        var first = batch[0];
        // IMB gives up ("time-out") once its sizes together took longer than -time times their number,
        // which a busy host reaches with a -time of a few hundredths; half a second keeps that rare
        // without letting one slow size run for IMB's default 10 s.
        return [imbPath, "-npmin", Text(first.Ranks), "-msglog", first.MsgLog, "-time", Text(Math.Max(0.5, first.Seconds)), "-mem", "1",
            .. batch.Select(c => StudyWorkloads.ImbName(c.Workload))];
    }

    public static IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind) =>
        [.. batch.Select(c => ImbOutput.Parse(output, StudyWorkloads.ImbName(c.Workload)) is { Count: > 0 } rows
            ? new RunOutcome(true, null, vmKind, rows, null, command)
            : RunOutcome.Failed(output.Contains("time-out", StringComparison.Ordinal)
                ? "Intel MPI Benchmarks timed out (a size took longer than its -time)"
                : $"Intel MPI Benchmarks printed no result table{(batch.Count > 1 ? $" for {StudyWorkloads.ImbName(c.Workload)}" : "")}", command, vmKind))];

    private static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
