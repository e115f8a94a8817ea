using System.Globalization;
using System.Text.Json;
using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Report;

/// <summary>The study's findings, computed from the data: every configuration against its baseline
/// (a collective across VMs against native, point-to-point paths against native shared memory, an
/// application in k VMs against one VM, a multi-zone mix in VMs against native, IMB on Cosched against
/// Cosched's own benchmarks, PingPong consolidated and spread again against before the moves), each stating a difference only where the interval of the
/// ratio excludes 1, and saying whether the paper saw the same direction.</summary>
public static class Findings
{
    public const string FileName = "findings.json";

    /// <summary>A finding states a difference only where the whole interval of the ratio lies this far
    /// beyond 1 (above 1.05, or below 1/1.05). With three runs a side the 95% interval excludes 1
    /// whenever every run of one side beats every run of the other, which two equal configurations do
    /// by chance one time in ten; a chance separation is seldom also 5% wide, so two studies of the
    /// same host almost never state opposite differences, and a difference under 5% is no result on
    /// a shared host anyway.</summary>
    public const double SmallestDifference = 0.05;

    /// <summary>Below this a factor is written as a percentage ("+23%"), above it as "4.1x".</summary>
    private const double FactorFrom = 1.5;

    public static List<Finding> Compute(StudyResults results)
    {
        var findings = new List<Finding>();
        PointToPoint(results, findings);
        Collectives(results, findings);
        Applications(results, findings);
        MultiZone(results, findings);
        ImbOnCosched(results, findings);
        Migration(results, findings);
        return findings;
    }

    /// <summary>The headline findings as sentences, and the paper's effect with its cure in one line.</summary>
    public static List<string> Sentences(IReadOnlyList<Finding> findings)
    {
        var sentences = findings.Where(f => f.Headline).Select(f => f.Text).ToList();
        var worst = findings.Where(f => f.Headline && f.Verdict == Finding.Slower
            && f.Id.Contains("/per-vm/vs-native", StringComparison.Ordinal) && !f.Id.StartsWith("pingpong", StringComparison.Ordinal) && !StudyWorkloads.IsNpb(f.Id))
            .MaxBy(f => f.Ratio);
        if (worst != null)
        {
            var cure = findings.FirstOrDefault(f => f.Id == worst.Id.Replace("/per-vm/", "/locality/", StringComparison.Ordinal));
            sentences.Add($"The paper's effect: the largest slowdown with per-vm channels is {Effect(worst)} ({worst.Metric}); "
                + (cure == null ? "locality channels were not measured there." : $"its cure, locality channels: {Effect(cure)}.")
                + $" The paper saw barrier {Numbers.Factor(PaperReference.BarrierUsec[2] / PaperReference.BarrierUsec[0])} slower in 2 VMs and alltoall {PaperReference.AlltoallSlowdown16Vms:0}x in 16 VMs.");
        }
        return sentences;
    }

    /// <summary>findings.json: every finding, headline or not.</summary>
    public static string Json(IReadOnlyList<Finding> findings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            void Numbers(string name, IReadOnlyList<double> values)
            {
                json.WriteStartArray(name);
                foreach (var value in values) json.WriteNumberValue(value);
                json.WriteEndArray();
            }
            json.WriteStartArray();
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("id", f.Id);
                json.WriteString("metric", f.Metric);
                json.WriteNumber("ratio", Math.Round(f.Ratio, 6));
                json.WriteNumber("low", Math.Round(f.Low, 6));
                json.WriteNumber("high", Math.Round(f.High, 6));
                json.WriteString("verdict", f.Verdict);
                if (f.Paper is { } paper) json.WriteNumber("paper", Math.Round(paper, 6)); else json.WriteNull("paper");
                if (f.PaperAgrees is { } agrees) json.WriteBoolean("paper_agrees", agrees); else json.WriteNull("paper_agrees");
                Numbers("values", f.Values);
                Numbers("baseline_values", f.BaselineValues);
                json.WriteBoolean("headline", f.Headline);
                json.WriteString("text", f.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Compares <paramref name="values"/> with <paramref name="baseline"/> (one value per run each).</summary>
    /// <param name="higherIsSlower">true for times, false for bandwidths.</param>
    /// <param name="tooShort">why the runs cannot be timed, if so: the verdict is then "none".</param>
    public static Finding Compare(string id, string metric, IReadOnlyList<double> values, IReadOnlyList<double> baseline, bool higherIsSlower,
        double? paper, bool headline, string? tooShort = null, string baselineName = "")
    {
        var ratio = Statistics.RatioOfMedians(values, baseline);
        string? unsure = tooShort ?? (values.Count < 2 || baseline.Count < 2 ? $"too few runs to tell, {values.Count} and {baseline.Count}" : null);
        bool above = ratio.Low > 1 + SmallestDifference, below = ratio.High < 1 / (1 + SmallestDifference);
        string verdict = unsure != null || !(above || below) ? Finding.None
            : above == higherIsSlower ? Finding.Slower : Finding.Faster;
        bool? agrees = paper is { } p && verdict != Finding.None && p != 1 ? ((p > 1) == higherIsSlower) == (verdict == Finding.Slower) : null;
        var finding = new Finding(id, metric, ratio.Value, ratio.Low, ratio.High, verdict, paper, agrees, values, baseline, "", headline);
        string text = $"{Capitalise(metric)}: {(unsure != null ? $"not measurable ({unsure})" : Effect(finding, higherIsSlower, baselineName))}";
        if (paper is { } q)
            text += $" (the paper: {Effect(finding with { Ratio = q, Low = q, High = q, Verdict = (q > 1) == higherIsSlower ? Finding.Slower : Finding.Faster }, higherIsSlower, baselineName, interval: false)}"
                + (agrees is { } a ? a ? ", the same direction)" : ", the opposite direction)" : ")");
        return finding with { Text = text + "." };
    }

    /// <summary>"4.1x slower [3.9x, 4.4x]", "+23% [+20%, +26%]", "reach 15% [14%, 16%] of native
    /// shared memory", or "no measurable difference (within ±4%)".</summary>
    private static string Effect(Finding f, bool higherIsSlower = true, string baselineName = "", bool interval = true)
    {
        string Range(Func<double, string> format, double low, double high) => interval ? $" [{format(low)}, {format(high)}]" : "";
        if (f.Verdict == Finding.None)
        {
            double within = Math.Max(Math.Abs(f.Low - 1), Math.Abs(f.High - 1)) * 100;
            return $"no measurable difference (within ±{Math.Ceiling(within).ToString(CultureInfo.InvariantCulture)}%)";
        }
        if (!higherIsSlower)
            return $"{Percent(f.Ratio)}{Range(Percent, f.Low, f.High)} of {baselineName}'s bandwidth";
        if (f.Verdict == Finding.Slower)
            return f.Ratio >= FactorFrom ? $"{Numbers.Factor(f.Ratio)} slower{Range(Numbers.Factor, f.Low, f.High)}"
                : $"{Numbers.Change((f.Ratio - 1) * 100)}{Range(v => Numbers.Change((v - 1) * 100), f.Low, f.High)}";
        return f.Ratio <= 1 / FactorFrom ? $"{Numbers.Factor(1 / f.Ratio)} faster{Range(v => Numbers.Factor(1 / v), f.High, f.Low)}"
            : $"{Numbers.Change((f.Ratio - 1) * 100)}{Range(v => Numbers.Change((v - 1) * 100), f.Low, f.High)}";
    }

    private static string Percent(double ratio) => $"{ratio * 100:0}%";

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void PointToPoint(StudyResults results, List<Finding> findings)
    {
        var shm = results.Native(StudyWorkloads.PingPong, Configuration.Cosched, 2);
        if (shm == null) return;
        var others = new (string Id, string Name, MeasuredConfiguration? Run, double? PaperLatency, double? PaperBandwidth)[]
        {
            ("native-tcp", "native tcp", results.Of(Experiment.PointToPoint).LastOrDefault(r => r.Configuration.Vms == 0 && r.Configuration.Channels == "network"),
                PaperReference.PingPongNativeIbUsec / PaperReference.PingPongNativeShmUsec, null),
            ("2vms/per-vm", "2 VMs with per-vm channels", results.Find(StudyWorkloads.PingPong, Configuration.Cosched, 2, 2, "compact", "per-vm"),
                PaperReference.PingPongVmIbUsec / PaperReference.PingPongNativeShmUsec, PaperReference.PingPongVmBandwidthShare),
            ("2vms/locality", "2 VMs with locality channels", results.Find(StudyWorkloads.PingPong, Configuration.Cosched, 2, 2, "compact", "locality"), null, null),
        };
        long small = StudyResults.SmallSize(shm), largest = shm.Sizes.Count > 0 ? shm.Sizes.Max() : 0;
        foreach (var (id, name, run, paperLatency, _) in others)
            if (run != null && run.ValuesAt(small, m => m.Latency) is { Count: > 0 } latencies)
                findings.Add(Compare($"pingpong/{Numbers.BytesId(small)}/{id}/vs-native-shm", $"pingpong {Numbers.Bytes(small)} one-way latency in {name} against native shared memory",
                    latencies, shm.ValuesAt(small, m => m.Latency), higherIsSlower: true, paperLatency, headline: true));
        if (largest <= small) return;
        foreach (var (id, name, run, _, paperBandwidth) in others)
            if (run != null && run.ValuesAt(largest, m => m.MbytesPerSec) is { Count: > 0 } bandwidths)
                findings.Add(Compare($"pingpong/{Numbers.BytesId(largest)}/bandwidth/{id}/vs-native-shm", $"pingpong {Numbers.Bytes(largest)} bandwidth in {name}",
                    bandwidths, shm.ValuesAt(largest, m => m.MbytesPerSec), higherIsSlower: false, paperBandwidth, headline: true, baselineName: "native shared memory"));
    }

    private static void Collectives(StudyResults results, List<Finding> findings)
    {
        foreach (int ranks in results.CollectiveRanks)
            foreach (var collective in StudyWorkloads.Collectives)
                foreach (var mpi in new[] { Configuration.Cosched, Configuration.CoschedImb, Configuration.OpenMpi })
                {
                    if (results.NativeBaseline(collective, mpi, ranks) is not (var size, var baseline)) continue;
                    var acrossVms = results.Of(Experiment.Collectives, collective, mpi).Where(r => r.Configuration.Ranks == ranks && r.Configuration.Vms > 0).ToList();
                    int most = acrossVms.Count == 0 ? 0 : acrossVms.Max(r => r.Configuration.Vms);
                    foreach (var run in acrossVms.OrderBy(r => r.Configuration.Vms).ThenBy(r => r.Configuration.Pin).ThenByDescending(r => r.Configuration.Channels))
                    {
                        var c = run.Configuration;
                        if (run.LatenciesAt(size) is not { Count: > 0 } values) continue;
                        string what = collective == "barrier" ? "barrier" : $"{collective} {Numbers.Bytes(size)}";
                        string where = c.Vms == 1 ? "in 1 VM" : $"in {c.Vms} VMs{(c.Pin == "compact" ? "" : $" ({c.Pin})")} with {(mpi == Configuration.OpenMpi ? "tcp between them" : $"{c.Channels} channels")}";
                        var id = string.Join('/', new[]
                        {
                            mpi == Configuration.Cosched ? null : mpi, collective, collective == "barrier" ? null : Numbers.BytesId(size), $"n{ranks}",
                            c.Vms == 1 ? "1vm" : $"{c.Vms}vms", c.Pin == "compact" || c.Vms == 1 ? null : c.Pin, c.Vms == 1 || mpi == Configuration.OpenMpi ? null : c.Channels, "vs-native",
                        }.Where(p => p != null));
                        bool perVmLike = c.Channels == "per-vm" || c.Vms == 1 || mpi == Configuration.OpenMpi;
                        // IMB on Cosched repeats Cosched's own findings with other code: in findings.json, not among the headlines.
                        findings.Add(Compare(id, $"{(mpi == Configuration.Cosched ? "" : Configuration.Title(mpi) + " ")}{what}, {results.RanksOnCores(ranks)}, {where} against native",
                            values, baseline, higherIsSlower: true, perVmLike ? PaperReference.CollectiveSlowdown(collective, c.Vms, c.Pin) : null,
                            headline: c.Vms == most && c.Pin == "compact" && mpi != Configuration.CoschedImb));
                    }
                }
    }

    /// <summary>Each application in k VMs against one VM: Cosched's own (ids like `ep/n2/2vms/per-vm/vs-1vm`)
    /// and NPB's binaries, whose ids name their class (`npb:cg/A/n2/2vms/per-vm/vs-1vm`).</summary>
    private static void Applications(StudyResults results, List<Finding> findings)
    {
        var npb = results.Of(Experiment.Applications).Select(r => r.Configuration.Workload).Where(StudyWorkloads.IsNpb).Distinct();
        foreach (var application in StudyWorkloads.Applications.Concat(npb))
        {
            var runs = results.Of(Experiment.Applications, application).Where(r => r.Configuration.Pin == "compact" && r.Seconds.Count > 0).ToList();
            bool isNpb = StudyWorkloads.IsNpb(application);
            foreach (var (ranks, size) in runs.Select(r => (r.Configuration.Ranks, r.Configuration.MsgLog)).Distinct())
            {
                var problem = runs.Where(r => r.Configuration.Ranks == ranks && r.Configuration.MsgLog == size).ToList();
                var oneVm = problem.LastOrDefault(r => r.Configuration.Vms == 1);
                if (oneVm == null) continue;
                var across = problem.Where(r => r.Configuration.Vms > 1).ToList();
                int most = across.Count == 0 ? 0 : across.Max(r => r.Configuration.Vms);
                double minimum = application == StudyWorkloads.Blast ? BlastStudyData.MinimumSeconds : ApplicationCalibration.MinimumSeconds;
                string name = application == StudyWorkloads.Blast ? $"BLAST search ({oneVm.ApplicationClass})"
                    : isNpb ? $"NPB 3.4's own {StudyWorkloads.Title(application)} class {size}"
                    : $"NAS {StudyWorkloads.Title(application)} class {oneVm.ApplicationClass}";
                foreach (var run in across.OrderBy(r => r.Configuration.Vms).ThenByDescending(r => r.Configuration.Channels))
                {
                    var c = run.Configuration;
                    findings.Add(Compare($"{application}{(isNpb ? $"/{size}" : "")}/n{ranks}/{c.Vms}vms/{c.Channels}/vs-1vm",
                        $"{name} run time, {results.RanksOnCores(ranks)}, in {c.Vms} VMs with {c.Channels} channels against 1 VM",
                        run.Seconds, oneVm.Seconds, higherIsSlower: true, paper: null, headline: c.Vms == most, TooShort(run, oneVm, minimum)));
                }
            }
        }
    }

    /// <summary>Why two sets of runs cannot be timed, if one of them is shorter than <paramref name="minimum"/> seconds.</summary>
    private static string? TooShort(MeasuredConfiguration run, MeasuredConfiguration baseline, double minimum)
    {
        double shortest = run.Seconds.Concat(baseline.Seconds).Min();
        return shortest < minimum ? $"a run of {shortest:0.000} s, shorter than the {minimum} s the study times" : null;
    }

    /// <summary>Each multi-zone benchmark in VMs against native in the same processes x threads mix
    /// (`npb:bt-mz/A/2x1/2vms/per-vm/vs-native`); the mix's most VMs are the headline.</summary>
    private static void MultiZone(StudyResults results, List<Finding> findings)
    {
        foreach (var group in results.Of(Experiment.MultiZone).Where(r => r.Seconds.Count > 0)
            .GroupBy(r => (r.Configuration.Workload, r.Configuration.MsgLog, r.Configuration.Ranks, r.Configuration.Threads)))
        {
            var (workload, size, processes, threads) = group.Key;
            var native = group.LastOrDefault(r => r.Configuration.Vms == 0);
            if (native == null) continue;
            var inVms = group.Where(r => r.Configuration.Vms > 0).ToList();
            int most = inVms.Count == 0 ? 0 : inVms.Max(r => r.Configuration.Vms);
            string mix = $"{processes} {(processes == 1 ? "process" : "processes")} x {threads} {(threads == 1 ? "thread" : "threads")}";
            foreach (var run in inVms.OrderBy(r => r.Configuration.Vms).ThenByDescending(r => r.Configuration.Channels))
            {
                var c = run.Configuration;
                string where = c.Vms == 1 ? "in 1 VM" : $"in {c.Vms} VMs with {c.Channels} channels";
                findings.Add(Compare($"{workload}/{size}/{processes}x{threads}/{(c.Vms == 1 ? "1vm" : $"{c.Vms}vms/{c.Channels}")}/vs-native",
                    $"NPB {StudyWorkloads.Title(workload)} class {size} run time, {mix}, {where} against native",
                    run.Seconds, native.Seconds, higherIsSlower: true, paper: null, headline: c.Vms == most, TooShort(run, native, ApplicationCalibration.MinimumSeconds)));
            }
        }
    }

    /// <summary>Intel MPI Benchmarks built with cosched mpicc against Cosched's own benchmarks in the
    /// same configuration, at the small size: what the C API and IMB's code add to the same runtime
    /// (`cosched-imb/pingpong/8B/n2/native-shm/vs-bench`); PingPong natively over shared memory is the headline.</summary>
    private static void ImbOnCosched(StudyResults results, List<Finding> findings)
    {
        foreach (var imb in results.Measured.Where(r => r.Configuration.Mpi == Configuration.CoschedImb))
        {
            var c = imb.Configuration;
            var bench = results.Measured.LastOrDefault(r => r.Configuration == c with { Mpi = Configuration.Cosched });
            if (bench == null) continue;
            long size = StudyResults.SmallSize(bench);
            var (values, baseline) = (imb.LatenciesAt(size), bench.LatenciesAt(size));
            if (values.Count == 0 || baseline.Count == 0) continue;
            string what = c.Workload == "barrier" ? "barrier" : $"{c.Workload} {Numbers.Bytes(size)}";
            string where = c.Vms switch
            {
                0 => c.Channels == "network" ? "native-tcp" : "native-shm",
                1 => "1vm",
                _ => $"{c.Vms}vms/{(c.Pin == "compact" ? "" : c.Pin + "/")}{c.Channels}",
            };
            findings.Add(Compare($"{Configuration.CoschedImb}/{c.Workload}/{(c.Workload == "barrier" ? "" : Numbers.BytesId(size) + "/")}n{c.Ranks}/{where}/vs-bench",
                $"IMB-MPI1 built with cosched mpicc, {what}, {results.RanksOnCores(c.Ranks)}, {c.Scenario}, against `cosched bench`",
                values, baseline, higherIsSlower: true, paper: null, headline: c.Workload == StudyWorkloads.PingPong && c.Vms == 0 && c.Channels == "locality"));
        }
    }

    /// <summary>Each policy's latency while consolidated, and after spreading again, against before the
    /// moves (one median per run each side); only the consolidated one is a headline.</summary>
    private static void Migration(StudyResults results, List<Finding> findings)
    {
        foreach (var policy in MigrationPolicy.In(results))
        {
            var before = policy.Latencies(p => p.Before);
            if (before.Count == 0) continue;
            long bytes = policy.Runs[0].Series.Bytes;
            string what = $"pingpong {Numbers.Bytes(bytes)} latency with {policy.Channels} channels";
            (Func<MigrationPhases, MigrationPhase> Phase, string Id, string Name, bool Headline)[] comparisons =
                [(p => p.Consolidated, "consolidated", "consolidated onto one host", true), (p => p.After, "after", "spread over two hosts again", false)];
            foreach (var (phase, id, name, headline) in comparisons)
                if (policy.Latencies(phase) is { Count: > 0 } values)
                    findings.Add(Compare($"migration/{Numbers.BytesId(bytes)}/{policy.Channels}/{id}/vs-before", $"{what}, {name}, against before the moves",
                        values, before, higherIsSlower: true, paper: null, headline));
        }
    }
}
