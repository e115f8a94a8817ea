using System.Globalization;

namespace Cosched.Study.Store;

/// <summary>`cosched report --csv`: every raw measurement, one line each, with its configuration and
/// machine (a failed configuration is one line with its error and no numbers).</summary>
public static class CsvExport
{
    private static readonly string[] Header =
    [
        "run_id", "experiment", "mpi", "workload", "ranks", "threads", "vms", "pin", "channels", "vm_kind", "status", "error",
        "round", "bytes", "repetitions", "t_usec", "mbytes_per_sec", "t_min_usec", "t_max_usec", "t_avg_usec",
        "class", "seconds", "mops_total", "mops_per_process", "verified",
        "started_utc", "cpu_model", "cores", "kernel", "dotnet", "git_commit", "load_average",
    ];

    public static void Write(ResultsStore store, TextWriter writer)
    {
        var machines = store.Machines().ToDictionary(m => m.Id, m => m.Machine);
        writer.WriteLine(string.Join(',', Header));
        foreach (var run in store.Runs())
        {
            var c = run.Configuration;
            var machine = machines.GetValueOrDefault(run.MachineId);
            object?[] head = [run.Id, c.Experiment, c.Mpi, c.Workload, c.Ranks, c.Threads, c.Vms, c.Pin, c.Channels, run.VmKind, run.Ok ? "ok" : "failed", run.Error];
            object?[] tail = [run.StartedUtc.ToString("o", CultureInfo.InvariantCulture), machine?.CpuModel, machine?.Cores, machine?.Kernel, machine?.DotNet, machine?.GitCommit, machine?.LoadAverage];
            object?[] noRow = [run.Round, null, null, null, null, null, null, null];
            var app = run.Application;
            object?[] appCells = app == null ? [null, null, null, null, null] : [app.Class, app.Seconds, app.MopsTotal, app.MopsPerProcess, app.Verified ? 1 : 0];
            if (run.Measurements.Count == 0)
                writer.WriteLine(Line([.. head, .. noRow, .. appCells, .. tail]));
            foreach (var m in run.Measurements)
                writer.WriteLine(Line([.. head, run.Round, m.Bytes, m.Repetitions, m.TUsec, m.MbytesPerSec, m.TMinUsec, m.TMaxUsec, m.TAvgUsec, .. appCells, .. tail]));
        }
    }

    private static string Line(object?[] cells) => string.Join(',', cells.Select(Cell));

    /// <summary>RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes doubled.</summary>
    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
