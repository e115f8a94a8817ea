using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cosched.Domains.Tests;

/// <summary>Runs `./cosched` as a user would, and finds what a job left on the host.</summary>
internal static partial class Cli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string[] TestRank(params string[] arguments) =>
        ["dotnet", Path.Combine(AppContext.BaseDirectory, "Cosched.TestRank.dll"), .. arguments];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "cosched")) && File.Exists(Path.Combine(dir.FullName, "Cosched.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public static Process Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(RepositoryRoot, "cosched"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static Result Run(params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cosched {string.Join(' ', arguments)} did not finish in time");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    [GeneratedRegex(@"cosched: job ([0-9a-f]{8}):")]
    private static partial Regex JobLine();

    /// <summary>The job id the launcher announced with its VMs.</summary>
    public static string JobOf(string stderr) => JobLine().Match(stderr) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no job line in: {stderr}");

    /// <summary>Everything of job <paramref name="job"/> still on the host: namespaces, links,
    /// cgroups, directories, files and processes.</summary>
    public static List<string> Leftovers(string job)
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
    public static List<string> LeftoversAfterSettling(string job)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        List<string> left;
        while ((left = Leftovers(job)).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(100);
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

    public static bool IsRoot => HostSupport.IsRoot && HostSupport.HasIpTool;

    public const string NotRoot = "the namespace provider needs root and iproute2; run the tests as root to check it";
}
