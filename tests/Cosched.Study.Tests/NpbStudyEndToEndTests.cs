using Cosched.Study.Plan;
using Cosched.Study.Report;
using Cosched.Tests.Shared;

namespace Cosched.Study.Tests;

/// <summary>What a user of `cosched study --npb DIR` relies on: each binary runs under `cosched run` in
/// every planned placement (the multi-zone one with its threads), a run NPB did not verify is recorded
/// as failed, and the report shows the overhead and the mixes.</summary>
public class NpbStudyEndToEndTests(NpbStudy study) : IClassFixture<NpbStudy>
{
    private static string Vm => Cosched.Domains.HostSupport.IsRoot ? "namespace" : "process";

    [MpiccFact]
    public void TheStudyRunsEveryBinaryAndNamesItsReport()
    {
        Assert.True(study.Study!.ExitCode == 0, study.Study.Error + study.Study.Output);
        Assert.Contains("NPB's binaries cg.S.x,is.S.x,bt-mz.S.x", study.Study.Output);
        var mixes = NpbRules.Mixes("bt-mz", "S", Environment.ProcessorCount);
        Assert.Contains($"cosched study: NPB BT-MZ class S (bt-mz.S.x): processes x threads {string.Join(", ", mixes.Select(m => $"{m.Processes}x{m.Threads}"))}", study.Study.Output);
        Assert.Contains($"report in {Path.Combine(study.Out, "report.html")}", study.Study.Output);
        Assert.True(study.Study.Elapsed < TimeSpan.FromSeconds(90), $"the study took {study.Study.Elapsed.TotalSeconds:0} s");
    }

    [MpiccFact]
    public void EachKernelRanInEveryPlacementAndTheUnverifiedOneFailedOnce()
    {
        var runs = study.Runs;
        var isRuns = runs.Where(r => r.Configuration.Workload == "npb:is").ToList();
        Assert.Equal(8, isRuns.Count);   // native, 1 VM, 2 VMs with each policy; two rounds
        foreach (var run in isRuns)
        {
            Assert.True(run.Ok, run.Error);
            Assert.Equal(("S", true), (run.Application!.Class, run.Application.Verified));
            Assert.True(run.Application.Seconds >= 0 && run.Application.MopsTotal > 0);
            Assert.Equal(run.Configuration.Vms == 0 ? "native" : Vm, run.VmKind);
            Assert.EndsWith($" -- {Path.Combine(study.Npb, "is.S.x")}", run.Command);
            Assert.Contains(" run -n 2 --channels ", run.Command);
        }
        // NPB's verification said UNSUCCESSFUL: each placement failed in round 1 and was not tried again.
        var cg = runs.Where(r => r.Configuration.Workload == "npb:cg").ToList();
        Assert.Equal(4, cg.Count);
        Assert.All(cg, r => Assert.Equal((false, 0, "NPB CG class S: NPB's verification: UNSUCCESSFUL"), (r.Ok, r.Round, r.Error)));
    }

    [MpiccFact]
    public void TheMultiZoneBenchmarkRanEveryMixWithItsThreads()
    {
        var runs = study.Runs.Where(r => r.Configuration.Experiment == Experiment.MultiZone).ToList();
        var mixes = NpbRules.Mixes("bt-mz", "S", Environment.ProcessorCount);
        Assert.Equal(mixes, runs.Select(r => (r.Configuration.Ranks, r.Configuration.Threads)).Distinct());
        foreach (var run in runs)
        {
            var c = run.Configuration;
            // The stand-in verifies only when every rank had OMP_NUM_THREADS, in VMs too.
            Assert.True(run.Ok, $"{c.Key}: {run.Error}");
            Assert.StartsWith($"env OMP_NUM_THREADS={c.Threads} ", run.Command);
            Assert.Equal(c.Threads > 1, run.Command.Contains(" --bind-to none ", StringComparison.Ordinal));
            Assert.Equal(0, c.Ranks % Math.Max(1, c.Vms));
        }
        // Natively, in 1 VM, and with both policies in every other VM count dividing the processes: twice
        // the divisors' count per mix; two rounds.
        int expected = mixes.Sum(m => 2 * Enumerable.Range(1, m.Processes).Count(k => m.Processes % k == 0));
        Assert.Equal(2 * expected, runs.Count);
    }

    [MpiccFact]
    public void TheReportShowsTheKernelsTheMixesAndTheFailure()
    {
        var markdown = File.ReadAllText(Path.Combine(study.Out, "report.md"));
        Assert.Contains("## NPB 3.4's own code (the paper's Fig. 3b)", markdown);
        // Native heads both policies' rows; each VM cell has its change against 1 VM.
        Assert.Matches(@"\| IS S, 2 ranks \| per-vm \| [0-9.]+ s \[[0-9.]+, [0-9.]+\] \| [0-9.]+ s \[[0-9.]+, [0-9.]+\] \([-+0-9]+% \[", markdown);
        Assert.Contains("](plots/npb-overhead.png)", markdown);
        Assert.Contains("### BT-MZ class S", markdown);
        Assert.Matches(@"\| 1 x [0-9]+ \| [0-9.]+ s \[", markdown);
        Assert.Contains("](plots/bt-mz-S-mixes.png)", markdown);
        Assert.Contains("| applications/cosched/npb:cg/n2/vms0/compact/locality/S | 1 | NPB CG class S: NPB's verification: UNSUCCESSFUL |", markdown);
        // The stand-in runs for milliseconds: no finding rests on it.
        using var findings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(study.Out, Findings.FileName)));
        var perVm = findings.RootElement.EnumerateArray().Single(f => f.GetProperty("id").GetString() == "npb:is/S/n2/2vms/per-vm/vs-1vm");
        Assert.Equal("none", perVm.GetProperty("verdict").GetString());
        Assert.Contains("shorter than the 0.5 s the study times", perVm.GetProperty("text").GetString());
        var html = File.ReadAllText(Path.Combine(study.Out, "report.html"));
        Assert.Equal(markdown.Split("](plots/").Length - 1, html.Split("src=\"data:image/png;base64,").Length - 1);
    }

    [MpiccFact]
    public void AnImbOfTheWrongMpiIsRefusedWithOneLine()
    {
        var result = CoschedCli.Run(TimeSpan.FromMinutes(2), "study", "--peer", "openmpi", "--imb", study.StandIn, "--out", Path.Combine(study.Out, "unused"));
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("cosched: building", StringComparison.Ordinal));
        Assert.Equal($"cosched: --imb: '{study.StandIn}' was built with cosched mpicc (it links Cosched's libmpi.so): pass it as --imb-cosched", line);
    }
}
