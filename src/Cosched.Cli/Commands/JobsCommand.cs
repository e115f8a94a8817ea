using System.CommandLine;
using System.Globalization;
using Cosched.Launch;

namespace Cosched.Cli.Commands;

/// <summary>`cosched jobs`: the running jobs of this machine (those whose registry entry this user can read).</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var command = new Command("jobs", "list the running Cosched jobs of this machine: id, ranks, VMs and their hosts, start time");
        command.SetAction(_ =>
        {
            var jobs = JobRegistry.List();
            if (jobs.Count == 0)
            {
                Console.WriteLine("cosched jobs: no running job");
                return 0;
            }
            Console.WriteLine($"{"JOB",-9} {"RANKS",5} {"VMS",4} {"KIND",-9} {"HOSTS",5}  {"VM->HOST",-16} {"STARTED",-20} COMMAND");
            foreach (var job in jobs)
            {
                var where = job.HostOfVm.Length == 0 ? "-" : string.Join(',', job.HostOfVm.Select((h, v) => $"{v}:{h}"));
                var started = job.Started.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                Console.WriteLine($"{job.Id,-9} {job.Ranks,5} {job.Vms,4} {job.VmKind,-9} {job.Hosts,5}  {where,-16} {started,-20} {job.Command}");
            }
            return 0;
        });
        return command;
    }
}
