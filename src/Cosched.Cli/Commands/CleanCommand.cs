using System.CommandLine;
using Cosched.Domains;

namespace Cosched.Cli.Commands;

/// <summary>`cosched clean`: removes what crashed launchers left (namespaces, links, cgroups,
/// segments, processes in VMs); only Cosched's own resources, and never those of a running job.</summary>
public static class CleanCommand
{
    public static Command Create()
    {
        var command = new Command("clean", "remove the VMs, links, cgroups and files that crashed Cosched jobs left on this host");
        command.SetAction(_ =>
        {
            int removed = Cleanup.RemoveLeftovers(what => Console.WriteLine($"cosched clean: removed {what}"));
            if (removed == 0) Console.WriteLine("cosched clean: nothing to remove");
            if (!HostSupport.IsRoot) Console.WriteLine("cosched clean: not root: namespaces and links of namespace VMs (if any) need root to remove");
            return 0;
        });
        return command;
    }
}
