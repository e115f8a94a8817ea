using CsCheck;
using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Model;
using Cosched.Scheduling.Policies;
using Cosched.Scheduling.Profiles;
using Cosched.Scheduling.Simulation;

namespace Cosched.Scheduling.Tests;

/// <summary>The simulator's invariants on random workloads, for every policy: every job runs exactly
/// once, after its submit; no host ever holds more ranks than cores, nor (exclusive) two jobs, nor
/// (poncos) more than its two slots; time never goes back (the simulator throws if it would).</summary>
public class SimulatorPropertyTests
{
    private static readonly string[] Apps = ["mg", "ep"];

    private static Gen<(int Hosts, int Cores, SchedJob[] Jobs)> Workloads =>
        from hosts in Gen.Int[1, 4]
        from cores in Gen.OneOfConst(2, 4)
        from n in Gen.Int[1, 30]
        from specs in Gen.Select(Gen.Double[0, 50], Gen.Double[0.5, 40], Gen.Int[1, hosts * cores], Gen.Int[0, 1], Gen.Double[1, 2]).Array[n]
        select (hosts, cores, specs.Select((s, i) => new SchedJob(i, $"j{i}", Apps[s.Item4], s.Item3, Math.Round(s.Item1), s.Item2, s.Item2 * s.Item5)).ToArray());

    [Theory]
    [InlineData("exclusive")]
    [InlineData("share")]
    [InlineData("poncos")]
    [InlineData("cosched")]
    public void Every_job_runs_once_and_no_host_is_over_committed(string policy)
    {
        Workloads.Sample(w =>
        {
            var result = Simulator.Run(w.Jobs, w.Hosts, w.Cores, PolicyNames.Create(policy, w.Cores), new CoRunModel(ProfileSetTests.Sample(), w.Cores), "random");
            Assert.Equal(w.Jobs.Select(j => j.Id).Order(), result.Jobs.Select(j => j.Id).Order());
            foreach (var job in result.Jobs)
            {
                Assert.True(job.StartS >= job.SubmitS && job.EndS >= job.StartS, $"{job.Name}: submit {job.SubmitS} start {job.StartS} end {job.EndS}");
                Assert.Equal(job.Ranks, job.Placements[0].Vms.Sum(v => v.Cores));
                if (policy == "exclusive") Assert.Equal(job.DedicatedS, job.RunS, 6);
            }
            CheckOccupancy(result, policy);
        }, iter: 150);
    }

    /// <summary>Replays every placement interval and checks each host at every change.</summary>
    private static void CheckOccupancy(ScheduleResult result, string policy)
    {
        var intervals = new List<(double From, double To, int Job, VmPart Vm)>();
        foreach (var job in result.Jobs)
            for (int i = 0; i < job.Placements.Count; i++)
            {
                double to = i + 1 < job.Placements.Count ? job.Placements[i + 1].AtS : job.EndS;
                foreach (var vm in job.Placements[i].Vms) intervals.Add((job.Placements[i].AtS, to, job.Id, vm));
            }
        foreach (double t in intervals.Select(i => i.From).Distinct())
            foreach (var onHost in intervals.Where(i => i.From <= t && t < i.To).GroupBy(i => i.Vm.Host))
            {
                int cores = onHost.Sum(i => i.Vm.Cores), jobs = onHost.Select(i => i.Job).Distinct().Count();
                Assert.True(cores <= result.CoresPerHost, $"{policy}: host {onHost.Key} holds {cores} ranks at {t}");
                if (policy == "exclusive") Assert.True(jobs == 1, $"exclusive: {jobs} jobs on host {onHost.Key} at {t}");
                if (policy == "poncos") Assert.True(jobs <= 2, $"poncos: {jobs} jobs on host {onHost.Key} at {t}");
            }
    }
}
