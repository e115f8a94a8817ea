using System.Runtime.InteropServices;

namespace Cosched.Domains;

/// <summary>What this host offers for VMs: root, namespaces, cgroups, cores, tools.</summary>
public static partial class HostSupport
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static bool HasIpTool => FindTool("ip") != null && FindTool("nsenter") != null && FindTool("unshare") != null;

    /// <summary>Namespaces this kernel offers (net, uts, ipc, mnt, ...), from /proc/self/ns.</summary>
    public static string[] Namespaces =>
        Directory.Exists("/proc/self/ns") ? Directory.GetFileSystemEntries("/proc/self/ns").Select(Path.GetFileName).OfType<string>().Order().ToArray() : [];

    /// <summary>"v2" (unified hierarchy), "v1" (legacy or hybrid), or "none".</summary>
    public static string CgroupVersion =>
        File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "v2" : Directory.Exists("/sys/fs/cgroup/cpuset") ? "v1" : "none";

    public static string? FindTool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Append("/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUserId();

    /// <summary>Where running jobs register (`cosched jobs`, `cosched migrate`): one directory per job
    /// with its job.json and control socket, both mode 0600. COSCHED_JOBS_DIR overrides it.</summary>
    public static string JobRegistryDirectory =>
        Environment.GetEnvironmentVariable("COSCHED_JOBS_DIR") is { Length: > 0 } dir ? dir
        : IsRoot ? "/run/cosched/jobs" : Path.Combine(Path.GetTempPath(), $"cosched-jobs-{GetUserId()}");

    /// <summary>Whether process <paramref name="pid"/> is alive.</summary>
    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");
}
