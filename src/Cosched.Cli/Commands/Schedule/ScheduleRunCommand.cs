using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cosched.Launch;
using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Model;
using Cosched.Scheduling.Real;
using Cosched.Scheduling.Report;
using Cosched.Scheduling.Simulation;

namespace Cosched.Cli.Commands.Schedule;

/// <summary>`cosched schedule run QUEUE.json --hosts H --policy P`: runs the queue's jobs for real in
/// VMs on this machine's hosts with each policy in turn, then simulates the same queue with the same
/// policy to measure the simulator's error, and writes the results and the report.</summary>
public static class ScheduleRunCommand
{
    public static Command Create()
    {
        var queue = new Argument<string>("queue") { Description = "the queue: {\"jobs\": [{\"name\", \"command\", \"ranks\", \"submit_s\"}, ...]}" };
        var hosts = new Option<int>("--hosts") { Description = "split this machine's cores into H hosts", DefaultValueFactory = _ => 1, HelpName = "H" };
        var policy = ScheduleCommand.PolicyOption();
        var profiles = ScheduleCommand.ProfilesOption();
        var output = ScheduleCommand.OutOption();
        var format = ScheduleCommand.FormatOption();
        var coresPerHostOption = new Option<int?>("--cores-per-host")
        {
            Description = "cores the scheduler gives each host (default: this machine's cores over H); more than the machine has makes the ranks share cores, to try policies out, not to measure them",
            HelpName = "C",
        };
        var vmKind = new Option<string>("--vm-kind") { Description = "the jobs' VMs: auto (namespace as root, else process), namespace, process, qemu", DefaultValueFactory = _ => "auto" };
        var command = new Command("run", "run a queue of jobs in VMs on this machine's hosts with each policy; measure the simulator's error on it")
        {
            queue, hosts, coresPerHostOption, policy, profiles, output, format, vmKind,
        };
        command.SetAction(result =>
        {
            bool json = ScheduleCommand.Json(result.GetValue(format)!);
            var policies = ScheduleCommand.Policies(result.GetValue(policy)!);
            IReadOnlyList<QueueEntry> entries;
            try { entries = QueueFile.Read(result.GetValue(queue)!); }
            catch (FormatException e) { throw new UsageException(e.Message); }
            int cores = Environment.ProcessorCount, h = result.GetValue(hosts); // the cores this process may use, as the launcher splits them
            if (h < 1 || h > cores) throw new UsageException($"--hosts must be between 1 and this machine's {cores} cores (got {h})");
            int coresPerHost = result.GetValue(coresPerHostOption) ?? cores / h;
            if (coresPerHost < 1 || coresPerHost > 4096) throw new UsageException($"--cores-per-host must be between 1 and 4096 (got {coresPerHost})");
            if (coresPerHost * h > cores)
                Console.Error.WriteLine($"cosched schedule: warning: {h} hosts of {coresPerHost} cores on this machine's {cores}: ranks share cores, so run times are not a measurement");
            var kind = result.GetValue(vmKind)!;
            if (kind is not ("auto" or "namespace" or "process" or "qemu")) throw new UsageException($"unknown --vm-kind '{kind}' (expected one of: auto, namespace, process, qemu)");
            var profileSet = ScheduleCommand.Profiles(result.GetValue(profiles)!, "a real run plans with the profiled run times")!;
            var jobs = entries.Select((e, i) =>
            {
                var app = profileSet.Applications.FirstOrDefault(a => QueueFile.NormaliseCommand(a.Command) == e.Command)
                    ?? throw new UsageException($"job '{e.Name}': no profile for '{e.Command}' (measure it: cosched profile --queue {result.GetValue(queue)})");
                if (e.Ranks > h * coresPerHost) throw new UsageException($"job '{e.Name}' has {e.Ranks} ranks: more than the {h * coresPerHost} cores of {h} hosts");
                double run = app.JobSecondsOn(e.Ranks);
                return new SchedJob(i, e.Name, app.Name, e.Ranks, e.SubmitS, run, run, e.Command);
            }).ToList();
            var checkedPolicies = policies.Select(p => ScheduleCommand.Policy(p, coresPerHost)).ToList();

            var dir = result.GetValue(output)!;
            Directory.CreateDirectory(dir);
            using var interruption = new Interruption();
            var model = new CoRunModel(profileSet, coresPerHost);
            var options = new RealScheduleRunner.Options(SelfCommand.Current(), dir, kind == "auto" ? [] : ["--vm-kind", kind]);
            var results = new List<ScheduleResult>();
            var calibrations = new List<CalibrationResult>();
            string workload = Path.GetFileName(result.GetValue(queue)!);
            foreach (var p in checkedPolicies)
            {
                Console.Error.WriteLine($"cosched schedule: {p.Name}: {jobs.Count} jobs on {h} host(s) of {coresPerHost} cores");
                ScheduleResult real;
                try
                {
                    real = RealScheduleRunner.Run(jobs, h, coresPerHost, p, model, options with { OutDirectory = Path.Combine(dir, p.Name) }, workload, Console.Error, interruption.Token);
                }
                catch (OperationCanceledException)
                {
                    var signal = interruption.Signal ?? PosixSignal.SIGINT;
                    Console.Error.WriteLine($"cosched schedule: interrupted ({signal}); every job was stopped");
                    return Interruption.ExitCode(signal);
                }
                var simulated = Simulator.Run(jobs, h, coresPerHost, ScheduleCommand.Policy(p.Name, coresPerHost), model, workload);
                var calibration = CalibrationResult.Of(real, simulated);
                File.WriteAllText(Path.Combine(dir, $"real-{p.Name}.json"), JsonSerializer.Serialize(real, MetricsJson.Default.ScheduleResult));
                File.WriteAllText(Path.Combine(dir, $"calibration-{p.Name}.json"), JsonSerializer.Serialize(calibration, MetricsJson.Default.CalibrationResult));
                results.Add(real);
                calibrations.Add(calibration);
            }
            ScheduleCommand.Print(results, calibrations, json);
            var report = ScheduleReport.Write(dir);
            if (!json) Console.WriteLine($"cosched schedule: results in {dir}, report in {report}");
            var failed = results.SelectMany(r => r.Jobs.Where(j => j.Error != null).Select(j => $"{r.Policy}: {j.Name}: {j.Error}")).ToList();
            foreach (var f in failed) Console.Error.WriteLine($"cosched schedule: {f}");
            return failed.Count > 0 ? 1 : 0;
        });
        return command;
    }
}
