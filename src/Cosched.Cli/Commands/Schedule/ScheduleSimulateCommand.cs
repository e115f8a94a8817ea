using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Model;
using Cosched.Scheduling.Policies;
using Cosched.Scheduling.Report;
using Cosched.Scheduling.Simulation;
using Cosched.Scheduling.Traces;

namespace Cosched.Cli.Commands.Schedule;

/// <summary>`cosched schedule simulate TRACE.swf --hosts H --cores-per-host C --policy P`: the
/// policies as a discrete-event simulation of a Standard Workload Format trace, with run times,
/// co-run slowdowns and migration costs from the measured profiles.</summary>
public static class ScheduleSimulateCommand
{
    public static Command Create()
    {
        var trace = new Argument<string>("trace") { Description = "a Standard Workload Format trace (see 'cosched schedule trace')" };
        var hosts = new Option<int>("--hosts") { Description = "simulated hosts", Required = true, HelpName = "H" };
        var cores = new Option<int>("--cores-per-host") { Description = "cores of each simulated host", Required = true, HelpName = "C" };
        var policy = ScheduleCommand.PolicyOption();
        var profiles = ScheduleCommand.ProfilesOption();
        var output = ScheduleCommand.OutOption();
        var format = ScheduleCommand.FormatOption();
        var command = new Command("simulate", "simulate the policies on a workload trace (SWF) over many hosts, with costs from the measured profiles")
        {
            trace, hosts, cores, policy, profiles, output, format,
        };
        command.SetAction(result =>
        {
            bool json = ScheduleCommand.Json(result.GetValue(format)!);
            var policies = ScheduleCommand.Policies(result.GetValue(policy)!);
            int h = result.GetValue(hosts), c = result.GetValue(cores);
            if (h is < 1 or > 1_000_000) throw new UsageException($"--hosts must be between 1 and 1000000 (got {h})");
            if (c is < 1 or > 4096) throw new UsageException($"--cores-per-host must be between 1 and 4096 (got {c})");
            var checkedPolicies = policies.Select(p => ScheduleCommand.Policy(p, c)).ToList();
            bool onlyExclusive = policies.All(p => p == "exclusive");
            var profileSet = ScheduleCommand.Profiles(result.GetValue(profiles)!, onlyExclusive ? null : "sharing and moving cost what the profiles measured");
            var path = result.GetValue(trace)!;
            SwfTrace swf;
            try { swf = SwfReader.Read(path); }
            catch (SwfFormatException e) { throw new UsageException(e.Message); }
            catch (FileNotFoundException) { throw new UsageException($"{path}: no such trace"); }
            var jobs = TraceWorkload.From(swf, onlyExclusive ? null : profileSet, h, c);
            if (jobs.List.Count == 0) throw new UsageException($"{path}: no job of the trace can run on {h} hosts of {c} cores");
            if (!json && (jobs.NeverRan > 0 || jobs.TooLarge > 0))
                Console.Error.WriteLine($"cosched schedule: left out {jobs.NeverRan} jobs that never ran and {jobs.TooLarge} larger than {h * c} cores");

            var dir = result.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var model = new CoRunModel(onlyExclusive ? null : profileSet, c);
            var results = new List<ScheduleResult>();
            string workload = Path.GetFileName(path);
            foreach (var p in checkedPolicies)
            {
                var clock = Stopwatch.StartNew();
                var simulated = Simulator.Run(jobs.List, h, c, p, model, workload);
                if (!json) Console.Error.WriteLine($"cosched schedule: {p.Name}: {jobs.List.Count} jobs on {h} hosts simulated in {clock.Elapsed.TotalSeconds:0.0} s");
                string name = $"trace-{p.Name}.{ScheduleReport.Slug(workload)}";
                File.WriteAllText(Path.Combine(dir, name + ".json"), JsonSerializer.Serialize(simulated with { Jobs = [] }, MetricsJson.Default.ScheduleResult));
                JobsCsv.Write(Path.Combine(dir, name + ".jobs.csv"), simulated.Jobs);
                results.Add(simulated);
            }
            ScheduleCommand.Print(results, [], json);
            var report = ScheduleReport.Write(dir);
            if (!json) Console.WriteLine($"cosched schedule: results in {dir}, report in {report}");
            return 0;
        });
        return command;
    }
}
