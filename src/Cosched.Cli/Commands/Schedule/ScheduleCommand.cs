using System.CommandLine;
using System.Globalization;
using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Policies;
using Cosched.Scheduling.Profiles;

namespace Cosched.Cli.Commands.Schedule;

/// <summary>`cosched schedule run | simulate | trace | report`: the co-scheduler on this machine's
/// hosts and in the simulator, and the report comparing its policies.</summary>
public static class ScheduleCommand
{
    public static Command Create() => new("schedule", "decide which jobs share hosts and when to move them: real runs, simulation, traces, report")
    {
        ScheduleRunCommand.Create(),
        ScheduleSimulateCommand.Create(),
        TraceCommand.Create(),
        ScheduleReportCommand.Create(),
    };

    public static Option<string> PolicyOption() => new("--policy")
    {
        Description = $"policy, a comma-separated list, or 'all' ({string.Join(", ", PolicyNames.All)})",
        DefaultValueFactory = _ => "all",
        HelpName = "P",
    };

    public static Option<string> ProfilesOption() => new("--profiles")
    {
        Description = "the measured profiles: a results directory of 'cosched profile' (its study.db) or a profiles JSON file",
        DefaultValueFactory = _ => "study-results",
        HelpName = "PATH",
    };

    public static Option<string> OutOption() => new("--out")
    {
        Description = "where results and the report go",
        DefaultValueFactory = _ => "schedule-results",
        HelpName = "DIR",
    };

    public static Option<string> FormatOption() => new("--format")
    {
        Description = "text (a table) or json (a line per policy: makespan_s, utilisation, mean_wait_s, p95_wait_s, mean_bounded_slowdown, jobs_per_hour, migrations)",
        DefaultValueFactory = _ => "text",
    };

    public static IReadOnlyList<string> Policies(string text)
    {
        if (text == "all") return PolicyNames.All;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
            if (!PolicyNames.All.Contains(name)) throw new UsageException($"unknown policy '{name}' (expected one of: {string.Join(", ", PolicyNames.All)}, or all)");
        return names.Length > 0 ? names.Distinct().ToList() : throw new UsageException("--policy names no policy");
    }

    public static bool Json(string format) => format switch
    {
        "json" => true,
        "text" => false,
        _ => throw new UsageException($"unknown format '{format}' (expected one of: text, json)"),
    };

    public static ISchedulingPolicy Policy(string name, int coresPerHost)
    {
        try { return PolicyNames.Create(name, coresPerHost); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>The profiles at <paramref name="path"/>, or null when there are none (a usage error if
    /// <paramref name="required"/> names why they are needed).</summary>
    public static ProfileSet? Profiles(string path, string? required)
    {
        ProfileSet? set;
        try
        {
            set = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? File.Exists(path) ? ProfileSet.FromJson(File.ReadAllText(path)) : null
                : ProfileStore.Load(path);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or FormatException)
        {
            throw new UsageException($"{path}: cannot read profiles: {e.Message.Split('\n')[0]}");
        }
        if (set == null && required != null)
            throw new UsageException($"no profiles in '{path}' ({required}): measure them with 'cosched profile --out {path}' or give --profiles");
        return set;
    }

    /// <summary>Prints each policy's metrics: a table, or a JSON line each.</summary>
    public static void Print(IReadOnlyList<ScheduleResult> results, IReadOnlyList<CalibrationResult> calibrations, bool json)
    {
        if (json)
        {
            foreach (var r in results) Console.WriteLine(MetricsJson.Line(r.Policy, r.Kind, r.Metrics, calibrations.FirstOrDefault(c => c.Policy == r.Policy)));
            return;
        }
        string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine($"{"policy",-10} {"kind",-9} {"jobs",6} {"makespan_s",11} {"utilisation",11} {"mean_wait_s",11} {"p95_wait_s",10} {"bounded_sd",10} {"jobs/hour",9} {"migrations",10}{(calibrations.Count > 0 ? "  sim_error" : "")}");
        foreach (var r in results)
        {
            var m = r.Metrics;
            var c = calibrations.FirstOrDefault(x => x.Policy == r.Policy);
            Console.WriteLine($"{r.Policy,-10} {r.Kind,-9} {m.Jobs,6} {F(m.MakespanS),11} {F(m.Utilisation, "0.000"),11} {F(m.MeanWaitS),11} {F(m.P95WaitS),10} {F(m.MeanBoundedSlowdown, "0.00"),10} {F(m.JobsPerHour),9} {m.Migrations,10}" +
                (c != null ? $"  {c.MakespanError,9:+0.0%;-0.0%}" : ""));
        }
    }
}
