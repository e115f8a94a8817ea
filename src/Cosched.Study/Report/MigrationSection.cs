using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Report;

/// <summary>The report's section on the migration experiment: what ran and what moved, each policy's
/// latency in each phase, the moves' phases, and the time series of one run per policy.</summary>
public static class MigrationSection
{
    public static void Add(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        bool planned = results.Planned.Any(c => c.Experiment == Experiment.Migration);
        if (!planned) return;
        document.Add(new ReportDocument.Heading(2, "Migration: two VMs consolidated onto one host and spread again"));
        var policies = MigrationPolicy.In(results);
        if (policies.Count == 0)
        {
            var reason = results.Failed.FirstOrDefault(r => r.Configuration.Experiment == Experiment.Migration)?.Error;
            document.Add(new ReportDocument.Paragraph($"Not measured{(reason != null ? $" ({reason})" : "")}."));
            return;
        }
        var runs = policies.SelectMany(p => p.Runs).ToList();
        var moves = runs.SelectMany(r => r.Series.Moves).ToList();
        var (bytes, window) = (runs[0].Series.Bytes, runs[0].Series.WindowMs);
        double At(int move) => Statistics.Median([.. moves.Where(m => m.Move == move).Select(m => m.AtSeconds)]);
        document.Add(new ReportDocument.Paragraph(
            $"Two ranks in two VMs on two simulated hosts (`--hosts 2`: VM 0 on host 0, VM 1 on host 1) play PingPong with {Numbers.Bytes(bytes)} messages "
            + $"for {policies[0].Configuration.Configuration.Seconds:0.#} s (`cosched bench pingpong --timeseries`: the one-way latency of every {window:0} ms window). "
            + $"At {At(1):0.00} s VM 1 moves to host 0 (consolidate), at {At(2):0.00} s back to host 1 (spread), each move timed phase by phase. "
            + "With `locality` channels the pair talks through the host segment's shared memory while both VMs are on one host; "
            + "with `per-vm` channels it stays on tcp, and a move only costs its phases. "
            + $"The two hosts split this machine's {results.Cores} cores between them, so while consolidated "
            + (results.Cores / 2 <= 1 ? "both ranks share one core" : $"both VMs share host 0's {results.Cores / 2} cores")
            + ", whichever the policy: that alone can change tcp's latency too."));
        document.Add(new ReportDocument.Paragraph(Provider(policies, moves)));

        document.Add(new ReportDocument.Paragraph(
            $"One-way latency in µs. For each run the median of its windows in each phase (before: from {MigrationPhases.FirstWindowSeconds} s "
            + $"to {MigrationPhases.BeforeMoveSeconds * 1000:0} ms before the first move; consolidated: from {MigrationPhases.AfterMoveSeconds * 1000:0} ms after the first move's end "
            + $"to {MigrationPhases.BeforeMoveSeconds * 1000:0} ms before the second; after: from {MigrationPhases.AfterMoveSeconds * 1000:0} ms after the second move's end), "
            + "then the channel most of the phase's windows used, the median of the runs with its 95% interval, and the phase against before with that ratio's interval "
            + $"(a finding only where the interval lies beyond 1 by {Findings.SmallestDifference * 100:0}%)."));
        document.Add(LatencyTable(policies));
        document.Add(new ReportDocument.Paragraph(
            "Each move's phases in ms (consolidate: VM 1 from host 1 to host 0; spread: back), the median over the runs with its 95% interval (in brackets after each heading: how many moves; all: both moves of every run together): suspend (shared-memory channels "
            + "that cannot move switched to tcp and drained), move, attach (the destination's host segment), re-select (channels chosen again, shared memory first), "
            + "total; and the longest wait, the longest time a channel switch kept any rank's messages waiting."));
        foreach (var policy in policies) document.Add(MoveTable(policy));

        var panels = policies.Select(p => (Policy: p, Shown: p.Representative)).Select(x => new Plots.TimeSeriesPanel(
            $"{x.Policy.Channels} channels (round {x.Shown.Run.Round + 1} of {x.Policy.Runs.Count})", x.Shown.Series.Windows,
            [.. x.Shown.Series.Moves.Select(m => (m.AtSeconds, MigrationPhases.MoveName(m.Move)))])).ToList();
        ReportWriter.AddPlot(document, directory, plots, "migration-timeseries.png",
            $"PingPong {Numbers.Bytes(bytes)} latency per {window:0} ms window while VM 1 moves, for each policy the run whose consolidated latency is the median of its runs; "
            + "colour: the channel; dotted lines: the moves",
            file => Plots.TimeSeries(file, "one-way latency (µs, log scale)", panels));
    }

    /// <summary>Which provider made the VMs (the process provider is an emulation) and what a move moved, in the launcher's words.</summary>
    private static string Provider(IReadOnlyList<MigrationPolicy> policies, IReadOnlyList<MoveTimes> moves)
    {
        var kinds = policies.Select(p => p.Configuration.VmKind).Distinct().ToList();
        string provider = kinds.Contains("process")
            ? "The VMs were made by the process provider, an EMULATION (Cosched ran without root): ranks are grouped into VMs, not isolated, and a move re-pins them and opens the destination's host segment."
            : kinds.Contains("namespace")
                ? "The VMs were network namespaces with a cpuset each (the namespace provider)."
                : $"The VMs were made by the {string.Join(", ", kinds)} provider.";
        var what = moves.GroupBy(m => m.Move).OrderBy(g => g.Key)
            .Select(g => $"{MigrationPhases.MoveName(g.Key)}: {string.Join(" / ", g.Select(m => $"“{m.WhatMoved}”").Distinct())}");
        return $"{provider} What moved, in the launcher's words: {string.Join("; ", what)}. "
            + "No memory is copied, so these figures hold none of the copying that a live migration between real hosts adds.";
    }

    /// <summary>One row per policy and phase: the phase's channel, its latency, and its ratio against before.</summary>
    private static ReportDocument.Table LatencyTable(IReadOnlyList<MigrationPolicy> policies)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var policy in policies)
        {
            var before = policy.Latencies(p => p.Before);
            foreach (var (index, (name, phase)) in MigrationPhases.Each.Index())
            {
                var values = policy.Latencies(phase);
                // Before is what the other phases are compared with: it has no ratio of its own.
                rows.Add([policy.Channels, name, policy.Channel(phase), $"{values.Count}",
                    values.Count == 0 ? "" : Numbers.Interval(Statistics.Summarize(values)),
                    index == 0 || values.Count == 0 || before.Count == 0 ? "" : Numbers.FactorInterval(Statistics.RatioOfMedians(values, before))]);
            }
        }
        return new ReportDocument.Table(["channels", "phase", "channel", "runs", "latency (µs)", "against before"], rows);
    }

    /// <summary>A policy's moves: one row per phase, one column per move (consolidate, spread) and one
    /// for all moves together.</summary>
    private static ReportDocument.Table MoveTable(MigrationPolicy policy)
    {
        (string Name, Func<MoveTimes, double> Of)[] phases =
        [
            ("suspend", m => m.SuspendMs), ("move", m => m.MoveMs), ("attach", m => m.AttachMs), ("re-select", m => m.ReselectMs),
            ("total", m => m.TotalMs), ("longest wait", m => m.LongestWaitMs),
        ];
        // A column per move of the first run (every run made the same moves), then all of them (move null).
        var columns = policy.Runs[0].Series.Moves.Select(m => (Move: (int?)m.Move, Name: MigrationPhases.MoveName(m.Move))).Append((null, "all")).ToList();
        var rows = phases.Select(phase => (IReadOnlyList<string>)
            [phase.Name, .. columns.Select(c => Numbers.Interval(Statistics.Summarize(policy.MoveTimes(phase.Of, c.Move))))]).ToList();
        return new ReportDocument.Table([$"{policy.Channels} channels (ms)", .. columns.Select(c => $"{c.Name} ({policy.MoveTimes(m => m.TotalMs, c.Move).Count})")], rows);
    }
}
