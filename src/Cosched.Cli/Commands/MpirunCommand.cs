using System.CommandLine;
using Cosched.Domains;
using Cosched.Launch;
using Cosched.Messaging;

namespace Cosched.Cli.Commands;

/// <summary>`cosched mpirun -n N [--vms K ...] -- PROGRAM [ARGS]`: an Open MPI program (Intel MPI
/// Benchmarks, NPB's reference) placed as Cosched places its own ranks, natively or inside Cosched's
/// VMs, so that both run in the same configurations.</summary>
public static class MpirunCommand
{
    public static Command Create()
    {
        var job = new JobOptions(withHosts: false, channels: new Option<string>("--channels")
        {
            Description = "per-vm (default: Open MPI's shared memory inside a VM, tcp between VMs) or network (tcp only)",
            DefaultValueFactory = _ => "per-vm",
        });
        var extra = new Option<string[]>("--mpirun-arg")
        {
            Description = "an argument for mpirun itself, before the program (repeatable), e.g. --mpirun-arg=--tag-output",
            HelpName = "ARG",
            DefaultValueFactory = _ => [],
        };
        var program = new Argument<string[]>("program") { Description = "the Open MPI program and its arguments", Arity = ArgumentArity.OneOrMore };
        var command = new Command("mpirun", "run an Open MPI program on N ranks, natively or inside Cosched's VMs (the side-by-side reference)")
        {
            extra, program,
        };
        job.AddTo(command);
        command.SetAction(result =>
        {
            var (n, policy, vmChoice) = job.Check(result);
            if (vmChoice.Vms > 0 && VmKinds.Resolve(vmChoice.Kind) == VmKind.Qemu)
                throw new UsageException("cosched mpirun runs Open MPI in namespace or process VMs; QEMU guests (--vm-kind qemu) run Cosched's own ranks only");
            var options = new OpenMpiOptions(n, result.GetValue(program)!)
            {
                Vms = vmChoice.Vms,
                Pin = vmChoice.Pin,
                VmKind = vmChoice.Kind,
                Policy = policy,
                ReportBindings = vmChoice.ReportBindings,
                LaunchReportPath = vmChoice.LaunchReportPath,
                MpirunArguments = result.GetValue(extra) ?? [],
            };
            try
            {
                return OpenMpiLauncher.Run(options);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            catch (DomainException e)
            {
                Console.Error.WriteLine($"cosched: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
