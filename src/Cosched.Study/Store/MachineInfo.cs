using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cosched.Study.Store;

/// <summary>The machine a study ran on, stored beside every measurement so results from different
/// hosts, kernels or commits are never mistaken for each other.</summary>
public sealed record MachineInfo(string CpuModel, int Cores, string Kernel, string DotNet, string GitCommit, string Host, bool Root, DateTime RecordedUtc)
{
    public static MachineInfo Current(string repositoryDirectory) => new(
        ReadCpuModel(), Environment.ProcessorCount, ReadKernel(), RuntimeInformation.FrameworkDescription,
        ReadGitCommit(repositoryDirectory), Environment.MachineName, Cosched.Domains.HostSupport.IsRoot, DateTime.UtcNow);

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line == null ? "unknown" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return "unknown"; }
    }

    private static string ReadKernel()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return Environment.OSVersion.VersionString; }
    }

    /// <summary>The commit of the checkout the CLI was built from, with "+changes" when the tree differs from it.</summary>
    private static string ReadGitCommit(string directory)
    {
        try
        {
            var head = Git(directory, "rev-parse", "HEAD");
            if (head == null) return "unknown";
            var status = Git(directory, "status", "--porcelain", "--untracked-files=no");
            return string.IsNullOrWhiteSpace(status) ? head : head + "+changes";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown";
        }
    }

    private static string? Git(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info);
        if (process == null) return null;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : null;
    }
}
