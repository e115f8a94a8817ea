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

    public static (int Code, string Output, string Error) TryRun(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
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
