using Cosched.Study.Plan;
using Cosched.Study.Running;
using Cosched.Study.Running.Workloads;
using Cosched.Study.Store;

namespace Cosched.Study.Tests;

/// <summary>Each NAS kernel gets the smallest class that runs long enough to time, with a margin
/// where the next class is still short; every calibration run is stored and a resumed study keeps
/// the classes it chose.</summary>
public class ApplicationCalibrationTests
{
    /// <summary>A stand-in for `cosched npb`: each (kernel, class) takes the seconds given.</summary>
    private sealed class TimedKernels(Dictionary<(string, string), double> seconds, List<string> ran) : StudyWorkload
    {
        public override bool Handles(Configuration configuration) => true;

        public override IReadOnlyList<string> Command(IReadOnlyList<Configuration> batch, string launchReport) => ["/bin/true"];

        public override TimeSpan Timeout(IReadOnlyList<Configuration> batch) => TimeSpan.FromSeconds(30);

        public override IReadOnlyList<RunOutcome> Read(IReadOnlyList<Configuration> batch, string output, string command, string vmKind)
        {
            var c = batch.Single();
            ran.Add($"{c.Workload} {c.MsgLog}");
            return [new RunOutcome(true, null, vmKind, [], new ApplicationResult(c.MsgLog, 1, seconds[(c.Workload, c.MsgLog)], 1, 1, true), command)];
        }
    }

    [Fact]
    public void TheSmallestClassLongEnoughToTimeIsChosen()
    {
        var seconds = new Dictionary<(string, string), double>
        {
            [("ep", "W")] = 0.2, [("ep", "A")] = 1.4,
            // A reaches 0.5 s but not the margin, and B (5x the work) would run 2.75 s: A.
            [("mg", "W")] = 0.08, [("mg", "A")] = 0.55, [("mg", "B")] = 2.7,
            // W reaches 0.5 s but not the margin, and A (3.6x the work) runs under 2 s: A.
            [("cg", "W")] = 0.52, [("cg", "A")] = 1.9,
            // Nothing up to C is long enough: C.
            [("is", "W")] = 0.001, [("is", "A")] = 0.002, [("is", "B")] = 0.004, [("is", "C")] = 0.02,
        };
        var ran = new List<string>();
        using var directory = new TempDirectory();
        using var store = ResultsStore.Open(directory.Path);
        long machine = store.AddMachine(MachineInfo.Current("."));
        var runner = new ConfigurationRunner([new TimedKernels(seconds, ran)]);
        var classes = ApplicationCalibration.Choose(runner, ["ep", "mg", "cg", "is"], 2, store, machine, resume: false, TextWriter.Null);
        Assert.Equal(new Dictionary<string, string> { ["ep"] = "A", ["mg"] = "A", ["cg"] = "A", ["is"] = "C" }, classes);
        Assert.Equal(["ep W", "ep A", "mg W", "mg A", "cg W", "cg A", "is W", "is A", "is B", "is C"], ran);
        Assert.Equal(10, store.Calibrations().Count);
        Assert.Equal(["ep A", "mg A", "cg A", "is C"], store.Calibrations().Where(c => c.Chosen).Select(c => $"{c.Workload} {c.Class}"));

        // Resumed: the classes chosen before, nothing run again.
        ran.Clear();
        Assert.Equal(classes, ApplicationCalibration.Choose(runner, ["ep", "mg", "cg", "is"], 2, store, machine, resume: true, TextWriter.Null));
        Assert.Empty(ran);
    }
}
