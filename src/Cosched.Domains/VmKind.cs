namespace Cosched.Domains;

/// <summary>Which provider makes the virtual machines (--vm-kind).</summary>
public enum VmKind
{
    /// <summary>namespace when running as root, else process.</summary>
    Auto,
    /// <summary>Network, UTS, IPC and mount namespaces per VM, on a bridge (needs root).</summary>
    Namespace,
    /// <summary>Ranks grouped into VMs without isolation: an emulation, said so in every output.</summary>
    Process,
    /// <summary>QEMU guests with their own kernels, ivshmem and live migration (needs root and QEMU).</summary>
    Qemu,
}

/// <summary>Names of VM kinds as users type them.</summary>
public static class VmKinds
{
    public static readonly string[] Names = ["auto", "namespace", "process", "qemu"];

    public static bool TryParse(string? text, out VmKind kind)
    {
        int index = Array.IndexOf(Names, text);
        kind = (VmKind)Math.Max(index, 0);
        return index >= 0;
    }

    public static string Name(this VmKind kind) => Names[(int)kind];

    /// <summary>What auto means on this host: namespace for root, process otherwise.</summary>
    public static VmKind Resolve(VmKind kind) =>
        kind != VmKind.Auto ? kind : HostSupport.IsRoot && HostSupport.HasIpTool ? VmKind.Namespace : VmKind.Process;
}
