using System.Diagnostics;
using System.Text.RegularExpressions;
using Cosched.Domains;

namespace Cosched.Tests.Shared;

/// <summary>What a job left on the host after it ended: namespaces, links, cgroups, directories,
/// files and processes (shared by the test projects that run VMs).</summary>
internal static partial class HostLeftovers
{
    [GeneratedRegex(@"cosched: job ([0-9a-f]{8}):")]
    private static partial Regex JobLine();

    /// <summary>The job id the launcher announced with its VMs.</summary>
    public static string JobOf(string stderr) => JobLine().Match(stderr) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no job line in: {stderr}");

    /// <summary>Everything of job <paramref name="job"/> still on the host: namespaces, links,
    /// cgroups, directories, files and processes.</summary>
    public static List<string> Of(string job)
    {
        var left = new List<string>();
        left.AddRange(Lines("ip", "netns", "list").Where(l => l.Contains(job)));
        left.AddRange(Lines("ip", "-o", "link", "show").Where(l => l.Contains("csd" + job)));
        foreach (var root in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/cpuset" })
            if (Directory.Exists(root)) left.AddRange(Directory.GetDirectories(root, $"cosched-{job}*"));
        if (Directory.Exists("/run/cosched"))
        {
            left.AddRange(Directory.GetFileSystemEntries("/run/cosched", $"*{job}*"));
            left.AddRange(Directory.GetFiles("/run/cosched", "subnet-*").Where(f => File.ReadAllText(f).Contains(job)));
        }
        if (Directory.Exists(Path.Combine(HostSupport.JobRegistryDirectory, job))) left.Add($"registry entry {Path.Combine(HostSupport.JobRegistryDirectory, job)}");
        left.AddRange(File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Contains(job)).Select(l => $"mount {l}"));
        left.AddRange(Directory.GetFiles("/dev/shm", $"cosched-{job}*"));
        left.AddRange(Directory.GetDirectories(Path.GetTempPath(), $"cosched-{job}*"));
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _)) continue;
            try
            {
                var environ = File.ReadAllText(Path.Combine(proc, "environ"));
                var cmdline = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (environ.Contains($"COSCHED_JOB={job}") || cmdline.Contains(job)) left.Add($"process {Path.GetFileName(proc)}: {cmdline}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return left;
    }

    /// <summary>Waits until the job has left nothing (teardown may lag its launcher's exit by a moment).</summary>
    public static List<string> AfterSettling(string job)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        List<string> left;
        while ((left = Of(job)).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(100);
        return left;
    }

    private static IEnumerable<string> Lines(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }

}
