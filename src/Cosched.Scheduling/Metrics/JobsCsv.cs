using System.Globalization;

namespace Cosched.Scheduling.Metrics;

/// <summary>Every job's record as CSV, one line each: a simulation of 100,000 jobs stays small and
/// opens in any spreadsheet (its JSON keeps only the metrics).</summary>
public static class JobsCsv
{
    public static void Write(string path, IReadOnlyList<JobRecord> jobs)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("id,name,app,ranks,submit_s,start_s,end_s,dedicated_s,wait_s,run_s,bounded_slowdown,moves,hosts");
        foreach (var j in jobs.OrderBy(j => j.Id))
            writer.WriteLine(string.Join(',',
                j.Id.ToString(CultureInfo.InvariantCulture), j.Name, j.App, j.Ranks.ToString(CultureInfo.InvariantCulture),
                F(j.SubmitS), F(j.StartS), F(j.EndS), F(j.DedicatedS), F(j.WaitS), F(j.RunS), F(j.BoundedSlowdown),
                j.Moves.ToString(CultureInfo.InvariantCulture), string.Join(' ', j.Placements[0].Vms.Select(v => v.Host))));
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
