using System.Diagnostics;

namespace Cosched.Domains;

/// <summary>Runs the host's tools (ip, nsenter) and reports their failures as one line.</summary>
internal static class Shell
{
    public static string Run(string file, params string[] arguments)
    {
        var (code, output, error) = TryRun(file, arguments);
        if (code != 0)
            throw new DomainException($"'{file} {string.Join(' ', arguments)}' failed: {FirstLine(error) ?? $"exit code {code}"}");
        return output;
    }

    /// <summary>Runs iproute2 commands (one per line, as `ip` takes them) in one `ip -batch` process,
    /// inside network namespace <paramref name="netns"/> when given: a VM's links cost one process, not ten.</summary>
    public static void RunIpBatch(string? netns, params string[] commands)
    {
        string[] arguments = netns == null ? ["-batch", "-"] : ["-n", netns, "-batch", "-"];
        var (code, _, error) = TryRun("ip", arguments, string.Join('\n', commands) + "\n");
        if (code != 0)
            throw new DomainException($"'ip {string.Join(' ', arguments)}' failed: {FirstLine(error) ?? $"exit code {code}"} (commands: {string.Join("; ", commands)})");
    }

    public static (int Code, string Output, string Error) TryRun(string file, params string[] arguments) => TryRun(file, arguments, input: null);

    private static (int Code, string Output, string Error) TryRun(string file, string[] arguments, string? input)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input != null, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            if (input != null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, "", $"{file}: {e.Message}");
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
