using System.CommandLine;
using Cosched.Domains;

namespace Cosched.Cli.Commands;

/// <summary>`cosched doctor`: what this host offers Cosched, and what that means for the user.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "report what this host supports: root, namespaces, cgroups, cores, Open MPI, QEMU");
        command.SetAction(_ =>
        {
            bool root = HostSupport.IsRoot, tools = HostSupport.HasIpTool;
            var ns = HostSupport.Namespaces;
            bool namespaces = new[] { "net", "uts", "ipc", "mnt" }.All(ns.Contains);
            var cgroups = HostSupport.CgroupVersion;
            Console.WriteLine($"root:         {(root ? "yes" : "no")}");
            Console.WriteLine($"namespaces:   {(ns.Length == 0 ? "none" : string.Join(' ', ns))}");
            Console.WriteLine($"ip/nsenter:   {(tools ? "found" : "missing (install iproute2 and util-linux)")}");
            Console.WriteLine($"cgroups:      {cgroups}{(cgroups == "none" ? "" : cgroups == "v2" ? " (unified)" : " (legacy or hybrid; cpuset used from /sys/fs/cgroup/cpuset)")}");
            Console.WriteLine($"cores:        {Environment.ProcessorCount}");
            var mpirun = HostSupport.FindTool("mpirun");
            string mpi = "not installed (apt-get install openmpi-bin libopenmpi-dev to compare against it)";
            if (mpirun != null)
            {
                var (code, output, _) = RunQuiet(mpirun, "--version");
                var first = output.Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
                mpi = code == 0 && first.Length > 0 ? $"{first.Trim()} ({mpirun})" : $"{mpirun} (version unknown)";
            }
            Console.WriteLine($"Open MPI:     {mpi}");
            Console.WriteLine($"qemu:         {Cosched.Domains.Qemu.QemuHost.Describe()}");
            string verdict = root && tools && namespaces
                ? "--vms K uses the namespace provider: real network, UTS, IPC and mount isolation per VM"
                : "--vms K uses the process provider: an emulation (no isolation; run as root with iproute2 for namespace VMs)";
            Console.WriteLine($"meaning:      {verdict}");
            return 0;
        });
        return command;
    }

    private static (int, string, string) RunQuiet(string file, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(5000)) { p.Kill(); return (1, "", ""); }
        return (p.ExitCode, output, err.Result);
    }
}
