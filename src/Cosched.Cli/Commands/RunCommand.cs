using System.CommandLine;
using Cosched.Launch;

namespace Cosched.Cli.Commands;

/// <summary>`cosched run -n N [--channels ...] [--tag-output] [--timeout S] -- PROGRAM [ARGS]`.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var ranks = CommonOptions.Ranks();
        var channels = CommonOptions.Channels();
        var tagOutput = new Option<bool>("--tag-output") { Description = "prefix every output line with the job and rank" };
        var timeout = new Option<double?>("--timeout") { Description = "end the job after this many seconds" };
        var bindTo = new Option<string>("--bind-to")
        {
            Description = "core: one core per rank; none: let the kernel place them; auto (default): core unless oversubscribed",
            DefaultValueFactory = _ => "auto",
        };
        bindTo.AcceptOnlyFromAmong("auto", "core", "none");
        var vms = CommonOptions.Vms();
        var pin = CommonOptions.Pin();
        var vmKind = CommonOptions.VmKind();
        var reportBindings = CommonOptions.ReportBindings();
        var program = new Argument<string[]>("program") { Description = "the program and its arguments", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "start N ranks of a program on this host") { ranks, channels, tagOutput, timeout, bindTo, vms, pin, vmKind, reportBindings, program };
        command.SetAction(result =>
        {
            var seconds = result.GetValue(timeout);
            if (seconds is <= 0) throw new UsageException($"--timeout must be positive (got {seconds})");
            int n = CommonOptions.CheckRanks(result.GetValue(ranks));
            var vmChoice = CommonOptions.CheckVms(n, result.GetValue(vms), result.GetValue(pin), result.GetValue(vmKind), result.GetValue(reportBindings));
            var options = new LaunchOptions(n, result.GetValue(program)!)
            {
                Policy = CommonOptions.CheckChannels(result.GetValue(channels)),
                TagOutput = result.GetValue(tagOutput),
                BindTo = Enum.Parse<BindTo>(result.GetValue(bindTo)!, ignoreCase: true),
                Timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            };
            return JobLauncher.Run(vmChoice.ApplyTo(options));
        });
        return command;
    }
}
