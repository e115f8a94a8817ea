using System.Text.RegularExpressions;

namespace Cosched.Domains;

/// <summary>Removes what a job left on the host: its processes in VMs, namespaces, links, cgroups,
/// reservations and shared-memory files. Only Cosched's own resources, recognised by name.</summary>
public static partial class Cleanup
{
    [GeneratedRegex("^(?:cosched-|csd)([0-9a-f]{8})(?:$|[-vpq.])")]
    private static partial Regex JobName();

    /// <summary>Removes every resource of job <paramref name="job"/>; reports each on <paramref name="log"/>.</summary>
    public static void RemoveJob(string job, Action<string>? log)
    {
        bool ip = HostSupport.HasIpTool && HostSupport.IsRoot;
        if (ip)
        {
            foreach (var ns in NetworkNamespaces().Where(n => JobOf(n) == job))
            {
                foreach (var pid in Shell.TryRun("ip", "netns", "pids", ns).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(pid, out int p)) { Kill(p); log?.Invoke($"process {p} in {ns}"); }
                if (Shell.TryRun("ip", "netns", "del", ns).Code == 0) log?.Invoke($"network namespace {ns}");
            }
            foreach (var link in Links().Where(l => JobOf(l) == job).OrderByDescending(l => l.Length))
                if (Shell.TryRun("ip", "link", "del", link).Code == 0) log?.Invoke($"link {link}");
        }
        foreach (var pid in QemuProcesses(job))
        {
            Kill(pid);
            log?.Invoke($"QEMU process {pid}");
        }
        foreach (var root in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/cpuset" })
        {
            if (!Directory.Exists(root)) continue;
            foreach (var dir in Directory.GetDirectories(root, $"cosched-{job}-vm*"))
                RemoveCgroup(dir, log);
        }
        var jobDir = Path.Combine(NamespaceMachines.RunRoot, job);
        if (Directory.Exists(jobDir))
        {
            if (HostSupport.IsRoot) Mounts.DetachAllUnder(jobDir); // the VMs' host-segment mounts
            try { Directory.Delete(jobDir, recursive: true); log?.Invoke($"directory {jobDir}"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        var entry = Path.Combine(HostSupport.JobRegistryDirectory, job);
        if (Directory.Exists(entry))
        {
            try { Directory.Delete(entry, recursive: true); log?.Invoke($"job registry entry {entry}"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        if (Directory.Exists(NamespaceMachines.RunRoot))
            foreach (var file in Directory.GetFiles(NamespaceMachines.RunRoot, "subnet-*"))
                if (SafeRead(file) == job && TryDelete(file)) log?.Invoke($"subnet reservation {file}");
        foreach (var file in Directory.GetFiles("/dev/shm", $"cosched-{job}*"))
            if (TryDelete(file)) log?.Invoke($"shared-memory file {file}");
    }

    /// <summary>QEMU processes of a job's guests (and the shells that watch them): their command line
    /// names the guest cosched-JOB-vmN.</summary>
    private static List<int> QemuProcesses(string? job)
    {
        var found = new List<int>();
        var marker = job == null ? "\0cosched-" : $"\0cosched-{job}-vm";
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid) || pid == Environment.ProcessId) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains("\0-name\0", StringComparison.Ordinal) &&
                cmdline.Replace("\0-name\0", "\0").Contains(marker, StringComparison.Ordinal))
                found.Add(pid);
        }
        return found;
    }

    /// <summary>Deletes a file; false when it is not ours to delete (another user's job) or already gone.</summary>
    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Removes the resources of every Cosched job whose launcher is gone; returns how many
    /// resources it removed. Jobs still running are left alone.</summary>
    public static int RemoveLeftovers(Action<string> log)
    {
        int removed = 0;
        void Count(string what) { removed++; log(what); }
        var jobs = new SortedSet<string>();
        void Consider(string? name) { if (JobOf(name) is { } j) jobs.Add(j); }
        if (HostSupport.HasIpTool)
        {
            foreach (var ns in NetworkNamespaces()) Consider(ns);
            foreach (var link in Links()) Consider(link);
        }
        if (Directory.Exists(NamespaceMachines.RunRoot))
        {
            foreach (var dir in Directory.GetDirectories(NamespaceMachines.RunRoot)) if (Path.GetFileName(dir) is { Length: 8 } j) jobs.Add(j);
            foreach (var file in Directory.GetFiles(NamespaceMachines.RunRoot, "subnet-*")) if (SafeRead(file) is { Length: 8 } j) jobs.Add(j);
        }
        foreach (var root in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/cpuset" })
            if (Directory.Exists(root))
                foreach (var dir in Directory.GetDirectories(root, "cosched-*")) Consider(Path.GetFileName(dir));
        foreach (var file in Directory.GetFiles("/dev/shm", "cosched-*")) Consider(Path.GetFileName(file));
        foreach (var pid in QemuProcesses(null))
            foreach (var word in SafeRead($"/proc/{pid}/cmdline")?.Split('\0') ?? []) Consider(word.Split(',')[0]);
        if (Directory.Exists(HostSupport.JobRegistryDirectory))
            foreach (var dir in Directory.GetDirectories(HostSupport.JobRegistryDirectory)) if (Path.GetFileName(dir) is { Length: 8 } j) jobs.Add(j);
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "cosched-*")) Consider(Path.GetFileName(dir));

        var live = LiveJobs();
        foreach (var job in jobs.Where(j => !live.Contains(j) && !JustStarted(j)))
        {
            RemoveJob(job, Count);
            var run = Path.Combine(Path.GetTempPath(), $"cosched-{job}");
            try
            {
                if (Directory.Exists(run)) { Directory.Delete(run, recursive: true); Count($"directory {run}"); }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        // In-process test segments carry the pid of the test process that made them.
        foreach (var file in Directory.GetFiles("/dev/shm", "cosched-test-*"))
        {
            var parts = Path.GetFileName(file).Split('-');
            if (parts.Length > 2 && int.TryParse(parts[2], out int pid) && !HostSupport.IsAlive(pid) && TryDelete(file)) Count($"shared-memory file {file}");
        }
        return removed;
    }

    /// <summary>Jobs with a live launcher (its pid file) or a live rank (COSCHED_JOB in its environment).</summary>
    private static HashSet<string> LiveJobs()
    {
        var live = new HashSet<string>();
        if (Directory.Exists(NamespaceMachines.RunRoot))
            foreach (var dir in Directory.GetDirectories(NamespaceMachines.RunRoot))
                if (int.TryParse(SafeRead(Path.Combine(dir, "launcher.pid")), out int pid) && HostSupport.IsAlive(pid))
                    live.Add(Path.GetFileName(dir));
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _)) continue;
            byte[] environ;
            try { environ = File.ReadAllBytes(Path.Combine(proc, "environ")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var entry in System.Text.Encoding.ASCII.GetString(environ).Split('\0'))
                if (entry.StartsWith("COSCHED_JOB=", StringComparison.Ordinal)) live.Add(entry["COSCHED_JOB=".Length..]);
        }
        return live;
    }

    /// <summary>A native job has no pid file and no rank until its ranks start: its files are
    /// left alone for their first half minute.</summary>
    private static bool JustStarted(string job)
    {
        if (File.Exists(Path.Combine(NamespaceMachines.RunRoot, job, "launcher.pid"))) return false;
        var recent = DateTime.UtcNow - TimeSpan.FromSeconds(30);
        return Directory.GetFiles("/dev/shm", $"cosched-{job}*").Select(File.GetLastWriteTimeUtc)
            .Concat(Directory.GetDirectories(Path.GetTempPath(), $"cosched-{job}").Select(Directory.GetLastWriteTimeUtc))
            .Any(t => t > recent);
    }

    public static string? JobOf(string? name) => name != null && JobName().Match(name) is { Success: true } m ? m.Groups[1].Value : null;

    public static IEnumerable<string> NetworkNamespaces() =>
        Shell.TryRun("ip", "netns", "list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]).Where(n => n.StartsWith(NamespaceMachines.NetnsPrefix, StringComparison.Ordinal));

    public static IEnumerable<string> Links() =>
        Shell.TryRun("ip", "-o", "link", "show").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3)).Where(p => p.Length > 1).Select(p => p[1].Trim().Split('@')[0])
            .Where(n => n.StartsWith(NamespaceMachines.LinkPrefix, StringComparison.Ordinal));

    private static void RemoveCgroup(string dir, Action<string>? log)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                foreach (var pid in (SafeRead(Path.Combine(dir, "cgroup.procs")) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(pid, out int p)) Kill(p);
                Directory.Delete(dir);
                log?.Invoke($"cgroup {dir}");
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void Kill(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    private static string? SafeRead(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
