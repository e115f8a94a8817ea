using System.CommandLine;
using Cosched.Launch;

namespace Cosched.Cli.Commands;

/// <summary>`cosched run -n N [--channels ...] [--tag-output] [--timeout S] -- PROGRAM [ARGS]`.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var job = new JobOptions();
        var tagOutput = new Option<bool>("--tag-output") { Description = "prefix every output line with the job and rank" };
        var timeout = new Option<double?>("--timeout") { Description = "end the job after this many seconds" };
        var bindTo = new Option<string>("--bind-to")
        {
            Description = "core: one core per rank; none: let the kernel place them; auto (default): core unless oversubscribed",
            DefaultValueFactory = _ => "auto",
        };
        bindTo.AcceptOnlyFromAmong("auto", "core", "none");
        var program = new Argument<string[]>("program") { Description = "the program and its arguments", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "start N ranks of a program on this host") { tagOutput, timeout, bindTo, program };
        job.AddTo(command);
        command.SetAction(result =>
        {
            var seconds = result.GetValue(timeout);
            if (seconds is <= 0) throw new UsageException($"--timeout must be positive (got {seconds})");
            var (n, policy, vmChoice) = job.Check(result);
            var options = new LaunchOptions(n, result.GetValue(program)!)
            {
                Policy = policy,
                TagOutput = result.GetValue(tagOutput),
                BindTo = Enum.Parse<BindTo>(result.GetValue(bindTo)!, ignoreCase: true),
                Timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            };
            return JobLauncher.Run(vmChoice.ApplyTo(options));
        });
        return command;
    }
}
