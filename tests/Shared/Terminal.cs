using System.Diagnostics;

namespace Cosched.Tests.Shared;

/// <summary>A terminal for the tests that type Ctrl-C as a person does (a background job of a script
/// starts with SIGINT ignored and tests nothing), and polling with a limit.</summary>
internal static class Terminal
{
    /// <summary>Runs tmux with these arguments and waits for it.</summary>
    public static void Tmux(params string[] arguments)
    {
        using var tmux = Process.Start(new ProcessStartInfo("tmux", arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        tmux.WaitForExit();
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < deadline) Thread.Sleep(20);
    }
}
