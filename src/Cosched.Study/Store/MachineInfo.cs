using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cosched.Study.Store;

/// <summary>The machine a study ran on, stored beside every measurement so results from different
/// hosts, kernels or commits are never mistaken for each other.</summary>
/// <param name="LoadAverage">the one-minute load average when the study started: other jobs on a shared
/// host make every number noisier, and the report says so.</param>
public sealed record MachineInfo(string CpuModel, int Cores, string Kernel, string DotNet, string GitCommit, string Host, bool Root, DateTime RecordedUtc, double LoadAverage = 0)
{
    public static MachineInfo Current(string repositoryDirectory) => new(
        ReadCpuModel(), Environment.ProcessorCount, ReadKernel(), RuntimeInformation.FrameworkDescription,
        ReadGitCommit(repositoryDirectory), Environment.MachineName, Cosched.Domains.HostSupport.IsRoot, DateTime.UtcNow, ReadLoadAverage());

    private static double ReadLoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : 0;
        }
        catch (IOException) { return 0; }
    }

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
