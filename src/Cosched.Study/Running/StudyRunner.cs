using System.Diagnostics;
using Cosched.Study.Plan;
using Cosched.Study.Store;
using Spectre.Console;

namespace Cosched.Study.Running;

/// <summary>Measures a study's configurations in interleaved rounds (round 1 of every configuration,
/// then round 2 ...), so that the runs of one configuration are independent and spread over the
/// study's time: a minute in which the host was busy touches one run of many configurations, not
/// every run of one. Each outcome is stored as soon as it is known; a configuration that fails is
/// recorded with its error, is not tried again in later rounds, and the study goes on; with --resume,
/// what the database already holds is not measured again; interrupted, it ends the run in progress,
/// stores nothing of it, and stops. Shows a progress bar with what runs now and the time left, or one
/// line per run when the output is not a terminal.</summary>
public sealed class StudyRunner(ConfigurationRunner runner, ResultsStore store, long machineId, TextWriter log)
{
    /// <summary>How many runs were measured, skipped and failed (configurations).</summary>
    public sealed record Summary(int Measured, int Skipped, int Failed);

    /// <param name="roundsOf">how many runs each configuration gets.</param>
    public Summary Run(IReadOnlyList<Configuration> plan, Func<Configuration, int> roundsOf, bool resume, bool interactive, CancellationToken cancel = default)
    {
        var done = resume ? store.MeasuredRounds() : [];
        var batches = runner.Batches(plan);
        int rounds = plan.Count == 0 ? 0 : plan.Max(roundsOf), runs = plan.Sum(roundsOf);
        var todo = new List<(int Round, List<Configuration> Batch)>();
        for (int round = 0; round < rounds; round++)
            foreach (var batch in batches)
                if (batch.Where(c => round < roundsOf(c) && !done.Contains((c.Key, round))).ToList() is { Count: > 0 } left) todo.Add((round, left));
        int skipped = runs - todo.Sum(t => t.Batch.Count);
        if (skipped > 0) log.WriteLine($"cosched study: resuming: {skipped} of {runs} runs already measured");
        var failedKeys = new HashSet<string>(StringComparer.Ordinal);
        int measured = 0;

        void Step(int index, Action<string> show, Action<string> failed)
        {
            var (round, all) = todo[index];
            var batch = all.Where(c => !failedKeys.Contains(c.Key)).ToList();
            if (batch.Count == 0 || cancel.IsCancellationRequested) return;
            show($"[{index + 1}/{todo.Count}] round {round + 1}/{rounds}: {Label(batch)}");
            foreach (var (configuration, outcome) in batch.Zip(Measure(batch, round, cancel)))
            {
                if (outcome.Ok) { measured++; continue; }
                failedKeys.Add(configuration.Key);
                failed($"{configuration.Label} (round {round + 1}): {outcome.Error}");
            }
        }

        if (interactive && todo.Count > 0)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("study", maxValue: todo.Count);
                    for (int i = 0; i < todo.Count && !cancel.IsCancellationRequested; i++)
                    {
                        Step(i, text => task.Description = Markup.Escape(text),
                            text => AnsiConsole.MarkupLine($"[yellow]failed:[/] {Markup.Escape(text)}"));
                        task.Increment(1);
                    }
                    task.Description = cancel.IsCancellationRequested ? "study interrupted" : "study measured";
                });
        }
        else
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < todo.Count && !cancel.IsCancellationRequested; i++)
            {
                string shown = "";
                var failures = new List<string>();
                Step(i, text => shown = text, failures.Add);
                if (shown.Length == 0 || cancel.IsCancellationRequested) continue;
                var left = TimeSpan.FromSeconds(watch.Elapsed.TotalSeconds / (i + 1) * (todo.Count - i - 1));
                log.WriteLine($"{shown}: {(failures.Count == 0 ? "ok" : "failed: " + string.Join("; ", failures))} (about {Format(left)} left)");
            }
        }
        return new Summary(measured, skipped, failedKeys.Count);
    }

    private static string Label(List<Configuration> batch) =>
        batch.Count == 1 ? batch[0].Label
            : $"{(batch[0].Mpi == Configuration.Cosched ? "" : Configuration.Title(batch[0].Mpi) + " ")}{string.Join(", ", batch.Select(c => c.Workload))} {batch[0].Scenario}, {batch[0].Ranks} ranks";

    private IReadOnlyList<RunOutcome> Measure(List<Configuration> batch, int round, CancellationToken cancel)
    {
        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var outcomes = runner.Run(batch, cancel);
        // An interrupted run measured nothing: it is not stored, and --resume runs it again.
        if (cancel.IsCancellationRequested) return [];
        // A batch's commands ran together: each configuration is charged its share of the time.
        double share = watch.Elapsed.TotalSeconds / batch.Count;
        foreach (var (configuration, outcome) in batch.Zip(outcomes)) store.AddRun(configuration, round, outcome, started, share, machineId);
        return outcomes;
    }

    private static string Format(TimeSpan span) => span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s" : $"{span.Seconds} s";
}
