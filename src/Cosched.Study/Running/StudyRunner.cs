using System.Diagnostics;
using Cosched.Study.Plan;
using Cosched.Study.Store;
using Spectre.Console;

namespace Cosched.Study.Running;

/// <summary>Measures a study's configurations one after another, storing each outcome as soon as it
/// is known: a configuration that fails is recorded with its error and the study goes on; with
/// --resume, what the database already holds is not measured again. Shows a progress bar with what
/// runs now and the time left, or one line per configuration when the output is not a terminal.</summary>
public sealed class StudyRunner(ConfigurationRunner runner, ResultsStore store, long machineId, TextWriter log)
{
    /// <summary>How many were measured, skipped and failed.</summary>
    public sealed record Summary(int Measured, int Skipped, int Failed);

    public Summary Run(IReadOnlyList<Configuration> plan, bool resume, bool interactive)
    {
        var done = resume ? store.MeasuredKeys() : [];
        var todo = plan.Where(c => !done.Contains(c.Key)).ToList();
        int skipped = plan.Count - todo.Count;
        if (skipped > 0) log.WriteLine($"cosched study: resuming: {skipped} of {plan.Count} configurations already measured");
        int failed = 0;

        if (interactive && todo.Count > 0)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var task = context.AddTask("study", maxValue: todo.Count);
                    foreach (var configuration in todo)
                    {
                        task.Description = Markup.Escape($"[{task.Value + 1:F0}/{todo.Count}] {configuration.Label}");
                        var outcome = Measure(configuration);
                        if (!outcome.Ok)
                        {
                            failed++;
                            AnsiConsole.MarkupLine($"[yellow]failed:[/] {Markup.Escape(configuration.Label)}: {Markup.Escape(outcome.Error ?? "")}");
                        }
                        task.Increment(1);
                    }
                    task.Description = "study measured";
                });
        }
        else
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < todo.Count; i++)
            {
                var outcome = Measure(todo[i]);
                if (!outcome.Ok) failed++;
                var left = TimeSpan.FromSeconds(watch.Elapsed.TotalSeconds / (i + 1) * (todo.Count - i - 1));
                log.WriteLine($"[{i + 1}/{todo.Count}] {todo[i].Label}: {(outcome.Ok ? "ok" : "failed: " + outcome.Error)} (about {Format(left)} left)");
            }
        }
        return new Summary(todo.Count - failed, skipped, failed);
    }

    private RunOutcome Measure(Configuration configuration)
    {
        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        RunOutcome outcome;
        try
        {
            outcome = runner.Run(configuration);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            outcome = RunOutcome.Failed(e.Message, string.Join(' ', runner.CommandFor(configuration)));
        }
        store.AddRun(configuration, outcome, started, watch.Elapsed.TotalSeconds, machineId);
        return outcome;
    }

    private static string Format(TimeSpan span) => span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s" : $"{span.Seconds} s";
}
