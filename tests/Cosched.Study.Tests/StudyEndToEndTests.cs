using Cosched.Study.Report;
using Cosched.Study.Store;
using SkiaSharp;

namespace Cosched.Study.Tests;

/// <summary>What a user of `cosched study` relies on: the report holds the tables and the plots, the
/// database holds every row, a failing configuration is recorded and does not stop the study, and
/// --resume measures nothing twice.</summary>
public class StudyEndToEndTests(SmallStudy study) : IClassFixture<SmallStudy>
{
    [Fact]
    public void TheStudyEndsWithExitZeroAndNamesItsReport()
    {
        Assert.True(study.First.ExitCode == 0, study.First.Error + study.First.Output);
        Assert.Contains($"report in {Path.Combine(study.Out, "report.html")}", study.First.Output);
        Assert.Contains($"findings in {Path.Combine(study.Out, "findings.json")}", study.First.Output);
        // findings.json: every comparison, each ratio inside its interval, each resting on the two rounds.
        using var findings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(study.Out, "findings.json")));
        var items = findings.RootElement.EnumerateArray().ToList();
        Assert.Contains(items, f => f.GetProperty("id").GetString() == "alltoall/8B/n2/2vms/per-vm/vs-native");
        Assert.Contains(items, f => f.GetProperty("id").GetString() == "barrier/n2/2vms/locality/vs-native");
        foreach (var f in items)
        {
            Assert.InRange(f.GetProperty("ratio").GetDouble(), f.GetProperty("low").GetDouble(), f.GetProperty("high").GetDouble());
            Assert.Contains(f.GetProperty("verdict").GetString(), new[] { "slower", "faster", "none" });
            Assert.Equal(2, f.GetProperty("values").GetArrayLength());
        }
        // The results stay out of git when the study runs inside a checkout.
        Assert.Equal("*\n", File.ReadAllText(Path.Combine(study.Out, ".gitignore")));
        // Not a terminal: one progress line per configuration, each with the time left.
        Assert.Contains("[1/", study.First.Output);
        Assert.Contains(" left)", study.First.Output);
    }

    [Fact]
    public void TheReportHoldsTableOneFindingsAndPlots()
    {
        var markdown = File.ReadAllText(Path.Combine(study.Out, "report.md"));
        Assert.Contains("## Table 1: collectives at small messages, 2 ranks", markdown);
        // Every cell a median with its interval, every VM cell also the slowdown with its interval.
        const string cell = @"[0-9.]+ \[[0-9.]+, [0-9.]+\]";
        Assert.Matches($@"\| barrier \| Cosched, per-vm \| {cell} \| +\| {cell} \({cell.Replace("[0-9.]+ ", "[0-9.]+x ")}\) \|", markdown);
        Assert.Matches($@"\| alltoall 8 B \| Cosched, locality \| {cell} \| +\| {cell} \(", markdown);
        Assert.Contains("| barrier, the paper | Intel MPI, InfiniBand (16 ranks) | 2.05 | 2.10 (1.0x) | 8.07 (3.9x) |", markdown);
        // Findings: a stated difference carries its interval; otherwise it says there is none to state.
        Assert.Matches(@"- Alltoall 8 B, 2 ranks, in 2 VMs with per-vm channels against native: ([0-9.]+x slower \[[0-9.]+x, [0-9.]+x\]|no measurable difference)", markdown);
        Assert.Matches(@"- Pingpong 8 B one-way latency in native tcp against native shared memory: ", markdown);
        foreach (var plot in new[] { "pingpong-latency", "pingpong-bandwidth", "barrier-n2-slowdown", "alltoall-n2-slowdown", "alltoall-n2-compact-latency" })
            Assert.Contains($"](plots/{plot}.png)", markdown);
        Assert.Contains(StudyVmKindLine(), markdown);
    }

    private static string StudyVmKindLine() => Cosched.Domains.HostSupport.IsRoot ? "VMs: network namespaces" : "an EMULATION";

    [Fact]
    public void ThePlotsArePngsThatDecodeAndAreNotBlank()
    {
        var plots = Directory.GetFiles(Path.Combine(study.Out, ReportWriter.PlotFolder), "*.png");
        Assert.True(plots.Length >= 5, $"{plots.Length} plots");
        foreach (var file in plots)
        {
            using var bitmap = SKBitmap.Decode(file);
            Assert.True(bitmap != null, $"{file} does not decode");
            Assert.Equal((800 < bitmap.Width, 400 < bitmap.Height), (true, true));
            var colours = new HashSet<SKColor>();
            int inked = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    var pixel = bitmap.GetPixel(x, y);
                    colours.Add(pixel);
                    if (pixel.Red + pixel.Green + pixel.Blue < 600) inked++;
                }
            Assert.True(colours.Count > 10 && inked > bitmap.Width * bitmap.Height / 4 / 200, $"{file} looks blank ({colours.Count} colours, {inked} inked pixels)");
        }
    }

    [Fact]
    public void TheHtmlReportIsSelfContained()
    {
        var html = File.ReadAllText(Path.Combine(study.Out, "report.html"));
        var markdown = File.ReadAllText(Path.Combine(study.Out, "report.md"));
        int images = markdown.Split("](plots/").Length - 1;
        Assert.Equal(images, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.DoesNotContain("src=\"plots/", html);
        Assert.Contains("<td>barrier, the paper</td>", html);
    }

    [Fact]
    public void TheDatabaseHoldsEveryRowWithItsConfigurationAndMachine()
    {
        using var store = ResultsStore.OpenExisting(study.Out)!;
        var runs = study.RunsAfterFirst;
        // Two rounds of pingpong: 4 Cosched, barrier and alltoall: 3 Cosched each; the 7 peer configurations
        // failed in round 1 and were not tried again.
        Assert.Equal(2 * (4 + 3 + 3) + 7, runs.Count);
        foreach (var run in runs.Where(r => r.Configuration.Mpi == "cosched"))
        {
            Assert.True(run.Ok, $"{run.Configuration.Key}: {run.Error}");
            var expected = run.Configuration.Workload == "barrier" ? new long[] { 0 } : [0, 1, 2, 4, 8];
            Assert.Equal(expected, run.Measurements.Select(m => m.Bytes));
            Assert.All(run.Measurements, m => Assert.True(m.Latency > 0));
            Assert.Equal(run.Configuration.Vms == 0 ? "native" : Cosched.Domains.HostSupport.IsRoot ? "namespace" : "process", run.VmKind);
            // Where the ranks ran, as the launcher reported it.
            Assert.Contains($"\"vms\":{run.Configuration.Vms},", run.LaunchReport);
        }
        // Rounds interleaved: every configuration's first run before any second run.
        Assert.True(runs.Where(r => r.Round == 0).Max(r => r.Id) < runs.Where(r => r.Round == 1).Min(r => r.Id));
        Assert.Equal([0, 1], runs.Where(r => r.Configuration.Mpi == "cosched" && r.Configuration.Workload == "barrier" && r.Configuration.Vms == 2 && r.Configuration.Channels == "per-vm").Select(r => r.Round));
        // barrier and alltoall of one placement ran in one command.
        var barrier = runs.First(r => r.Configuration.Workload == "barrier" && r.Configuration.Mpi == "cosched");
        Assert.Contains(" bench barrier alltoall ", barrier.Command);
        var (_, machine) = store.Machines()[0];
        Assert.Equal(Environment.ProcessorCount, machine.Cores);
        Assert.NotEqual("", machine.CpuModel);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), machine.Kernel);
        Assert.Matches("^([0-9a-f]{40}(\\+changes)?|unknown)$", machine.GitCommit);
    }

    [Fact]
    public void AFailingConfigurationIsRecordedAndTheStudyGoesOn()
    {
        var peer = study.RunsAfterFirst.Where(r => r.Configuration.Mpi == "openmpi").ToList();
        Assert.Equal(7, peer.Count);
        Assert.All(peer, r => Assert.Equal(0, r.Round));
        Assert.All(peer, r => Assert.False(r.Ok));
        Assert.All(peer, r => Assert.False(string.IsNullOrWhiteSpace(r.Error)));
        // Configurations after the failures were still measured.
        Assert.True(study.RunsAfterFirst.Last(r => r.Configuration.Workload == "alltoall" && r.Configuration.Mpi == "cosched").Ok);
        var markdown = File.ReadAllText(Path.Combine(study.Out, "report.md"));
        Assert.Contains("## Runs that failed", markdown);
        Assert.Contains("| collectives/openmpi/alltoall/n2/vms0/compact/locality/0:3 | 1 |", markdown);
    }

    [Fact]
    public void ResumeMeasuresOnlyWhatIsMissing()
    {
        Assert.True(study.Resumed.ExitCode == 0, study.Resumed.Error + study.Resumed.Output);
        Assert.Contains("resuming: 20 of 36 runs already measured", study.Resumed.Output);
        using var store = ResultsStore.OpenExisting(study.Out)!;
        var after = store.Runs();
        var before = study.RunsAfterFirst;
        Assert.Equal(before.Select(r => (r.Id, r.Configuration.Key)), after.Take(before.Count).Select(r => (r.Id, r.Configuration.Key)));
        var added = after.Skip(before.Count).ToList();
        Assert.Equal(["allreduce", "allreduce", "allreduce", "blast", "blast", "blast", "migration", "migration"], added.Where(r => r.Round == 0 && r.Ok).Select(r => r.Configuration.Workload));
        Assert.Equal(16, added.Count(r => r.Ok));
        // The BLAST search ran natively and in 2 VMs under both policies, found every query's source
        // protein first and printed the same hits everywhere (else the run would have failed).
        var blast = added.Where(r => r.Configuration.Workload == "blast").ToList();
        Assert.All(blast, r => Assert.True(r.Ok, r.Error));
        Assert.All(blast, r => Assert.Equal(("6 queries", true), (r.Application!.Class, r.Application.Verified)));
        Assert.Equal(2, store.Machines().Count);
    }

    [Fact]
    public void TheMigrationRunsKeepTheirTimeSeriesAndTheReportShowsThem()
    {
        Assert.True(study.Resumed.ExitCode == 0, study.Resumed.Error + study.Resumed.Output);
        using var store = ResultsStore.OpenExisting(study.Out)!;
        var runs = store.Runs().Where(r => r.Configuration.Experiment == "migration").ToList();
        Assert.Equal(["per-vm", "locality", "per-vm", "locality"], runs.Select(r => r.Configuration.Channels));
        foreach (var run in runs)
        {
            Assert.True(run.Ok, run.Error);
            Assert.Equal(Cosched.Domains.HostSupport.IsRoot ? "namespace" : "process", run.VmKind);
            Assert.Contains(" --hosts 2 --vm-hosts 0,1 --migrate 1:1:0,2:1:1 ", run.Command);
            var series = run.TimeSeries!;
            // 3 s of 20 ms windows, a few lost to the moves.
            Assert.InRange(series.Windows.Count, 100, 151);
            Assert.Equal([(1, 1, 0), (2, 0, 1)], series.Moves.Select(m => (m.Move, m.From, m.To)));
            Assert.All(series.Moves, m => Assert.True(m.TotalMs > 0 && m.AtSeconds > 0.9, $"move {m.Move} at {m.AtSeconds} s, {m.TotalMs} ms"));
            var phases = Cosched.Study.Report.MigrationPhases.Of(series);
            // With locality the consolidated pair talks through the host segment; per-vm stays on tcp.
            Assert.Equal(("tcp", run.Configuration.Channels == "locality" ? "shm-host" : "tcp", "tcp"), (phases.Before.Channel, phases.Consolidated.Channel, phases.After.Channel));
        }
        var markdown = File.ReadAllText(Path.Combine(study.Out, "report.md"));
        Assert.Contains("## Migration: two VMs consolidated onto one host and spread again", markdown);
        Assert.Matches(@"\| locality \| consolidated \(1 host\) \| shm-host \| 2 \| [0-9.]+ \[[0-9.]+, [0-9.]+\] \| [0-9.]+x \[", markdown);
        Assert.Contains("](plots/migration-timeseries.png)", markdown);
        Assert.Matches("- Pingpong 8 B latency with locality channels, consolidated onto one host, against before the moves: ", markdown);
    }

    [Fact]
    public void ReportCsvExportsTheDatabase()
    {
        var result = Cosched.Tests.Shared.CoschedCli.Run(TimeSpan.FromMinutes(2), "report", "--out", study.Out, "--csv");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.TrimEnd().Split('\n');
        using var store = ResultsStore.OpenExisting(study.Out)!;
        var runs = store.Runs();
        Assert.Equal(1 + runs.Sum(r => Math.Max(1, r.Measurements.Count)), lines.Length);
        Assert.Contains(lines, l => l.Contains(",collectives,cosched,alltoall,2,1,2,compact,per-vm,", StringComparison.Ordinal));
    }
}
