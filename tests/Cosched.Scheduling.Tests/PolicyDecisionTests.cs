using Cosched.Scheduling.Metrics;
using Cosched.Scheduling.Model;
using Cosched.Scheduling.Policies;
using Cosched.Scheduling.Profiles;
using Cosched.Scheduling.Simulation;

namespace Cosched.Scheduling.Tests;

/// <summary>Each policy's decisions on small hand-made queues, simulated on hosts of 2 cores.</summary>
public class PolicyDecisionTests
{
    internal static SchedJob Job(int id, string app, double submit = 0, double run = 10, int ranks = 1, double? requested = null) =>
        new(id, $"{app}{id}", app, ranks, submit, run, requested ?? run);

    internal static ScheduleResult Simulate(string policy, IReadOnlyList<SchedJob> jobs, int hosts = 2, int cores = 2, ProfileSet? profiles = null) =>
        Simulator.Run(jobs, hosts, cores, PolicyNames.Create(policy, cores), new CoRunModel(profiles ?? ProfileSetTests.Sample(), cores), "test");

    /// <summary>The other jobs on a job's hosts at the end of its placement history (when it ran longest).</summary>
    private static IEnumerable<JobRecord> CoRunners(ScheduleResult result, JobRecord job)
    {
        var hosts = job.Placements[^1].Vms.Select(v => v.Host).ToHashSet();
        return result.Jobs.Where(o => o.Id != job.Id && o.StartS < job.EndS && job.StartS < o.EndS && o.Placements[^1].Vms.Any(v => hosts.Contains(v.Host)));
    }

    private static readonly SchedJob[] MemoryAndCompute = [Job(0, "mg"), Job(1, "mg"), Job(2, "ep"), Job(3, "ep")];

    [Fact]
    public void Exclusive_never_shares_a_host_and_runs_each_job_its_dedicated_time()
    {
        var result = Simulate("exclusive", MemoryAndCompute);
        foreach (var job in result.Jobs)
        {
            Assert.Empty(CoRunners(result, job));
            Assert.Equal(job.DedicatedS, job.RunS, 9);
        }
        Assert.Equal(20, result.Metrics.MakespanS, 9);
        Assert.Equal(0, result.Metrics.Migrations);
    }

    [Theory]
    [InlineData("poncos")]
    [InlineData("cosched")]
    public void A_memory_bound_and_a_compute_bound_job_pair_up(string policy)
    {
        var result = Simulate(policy, MemoryAndCompute);
        foreach (var mg in result.Jobs.Where(j => j.App == "mg"))
            Assert.Equal("ep", Assert.Single(CoRunners(result, mg)).App);
        // Exclusive takes 20 s; poncos also pays 2 s for its swap (the profile's migration time).
        Assert.True(result.Metrics.MakespanS < 15, $"{policy}: makespan {result.Metrics.MakespanS}");
    }

    [Fact]
    public void Share_fills_cores_regardless_and_pairs_the_memory_bound_jobs()
    {
        var result = Simulate("share", MemoryAndCompute);
        var mg = result.Jobs.First(j => j.App == "mg");
        Assert.Equal("mg", Assert.Single(CoRunners(result, mg)).App);
        Assert.Equal(10 * 1.6, mg.RunS, 6); // the measured mg-beside-mg slowdown
    }

    [Fact]
    public void Poncos_swaps_VMs_by_migration_when_a_host_goes_above_the_threshold()
    {
        var result = Simulate("poncos", MemoryAndCompute);
        Assert.Equal(2, result.Metrics.Migrations); // mg1 and ep0's VMs traded hosts
        var moved = result.Jobs.Where(j => j.Moves > 0).ToList();
        Assert.Equal(["ep", "mg"], moved.Select(j => j.App).Order());
        Assert.All(moved, j => Assert.Equal(2, j.Placements.Count));
    }

    private static ProfileSet Bandwidths(double a, double b) => new(
        [
            new ApplicationProfile("a", "a", new Dictionary<int, double> { [1] = 10 }, a, new Dictionary<int, double>()),
            new ApplicationProfile("b", "b", new Dictionary<int, double> { [1] = 10 }, b, new Dictionary<int, double>()),
        ], [], 1.0, "test");

    [Theory]
    [InlineData(0.45, 0)] // sums to 0.9: kept together
    [InlineData(0.46, 2)] // 0.92: traded with the idle host's jobs
    public void Poncos_keeps_two_jobs_together_up_to_a_bandwidth_sum_of_0_9(double bandwidth, int migrations)
    {
        // Two a's land on host 0 first; two b's (bandwidth 0) on host 1.
        var jobs = new[] { Job(0, "a"), Job(1, "a"), Job(2, "b"), Job(3, "b") };
        var result = Simulate("poncos", jobs, profiles: Bandwidths(bandwidth, 0.0));
        Assert.Equal(migrations, result.Metrics.Migrations);
    }

    [Fact]
    public void Easy_backfilling_starts_a_short_job_early_but_never_delays_the_head_job()
    {
        // 2 hosts of 1 core. Job 0 holds host 0 until 100. The head (job 1) needs both hosts: it is
        // reserved at 100. Job 2 (1 host, ends by 50) backfills at once; job 3 (1 host, 200 s) would
        // delay the head and must wait for it.
        var jobs = new[]
        {
            Job(0, "ep", submit: 0, run: 100),
            Job(1, "ep", submit: 1, run: 10, ranks: 2),
            Job(2, "ep", submit: 2, run: 40, requested: 48),
            Job(3, "ep", submit: 3, run: 200),
        };
        var result = Simulate("exclusive", jobs, hosts: 2, cores: 1);
        var start = result.Jobs.ToDictionary(j => j.Id, j => j.StartS);
        Assert.Equal(2, start[2]);
        Assert.Equal(100, start[1]);
        Assert.Equal(110, start[3]);
    }

    [Fact]
    public void Poncos_refuses_hosts_of_an_odd_number_of_cores_in_one_line()
    {
        var e = Assert.Throws<ArgumentException>(() => PolicyNames.Create("poncos", 3));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("even number of cores", e.Message);
        Assert.Contains("expected one of: exclusive, share, poncos, cosched", Assert.Throws<ArgumentException>(() => PolicyNames.Create("fifo", 2)).Message);
    }
}
