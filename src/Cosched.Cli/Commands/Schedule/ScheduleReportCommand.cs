using System.CommandLine;
using Cosched.Scheduling.Report;

namespace Cosched.Cli.Commands.Schedule;

/// <summary>`cosched schedule report [DIR]`: the report of the results a run or simulation left in DIR.</summary>
public static class ScheduleReportCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "a results directory of 'schedule run' or 'schedule simulate'", DefaultValueFactory = _ => "schedule-results" };
        var command = new Command("report", "write the report comparing the policies (Markdown and HTML with plots) from a results directory") { directory };
        command.SetAction(result =>
        {
            var dir = result.GetValue(directory)!;
            try { Console.WriteLine($"cosched schedule: report in {ScheduleReport.Write(dir)}"); }
            catch (FileNotFoundException e) { throw new UsageException(e.Message); }
            return 0;
        });
        return command;
    }
}
