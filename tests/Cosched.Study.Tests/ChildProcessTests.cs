using Cosched.Study.Running;

namespace Cosched.Study.Tests;

/// <summary>A configuration that hangs is stopped at its time limit, politely first, so that a cosched
/// launcher can tear its VMs down; the study then records it as timed out.</summary>
public class ChildProcessTests
{
    [Fact]
    public void AHungCommandGetsSigtermAtItsTimeLimit()
    {
        var result = ChildProcess.Run(["sh", "-c", "trap 'echo terminated; exit 7' TERM; echo ready; sleep 30 & wait"], TimeSpan.FromSeconds(3));
        Assert.True(result.TimedOut);
        Assert.Equal("ready\nterminated", result.Output.Trim());
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took {result.Elapsed}");
    }

    [Fact]
    public void AFinishedCommandKeepsItsOutputAndExitCode()
    {
        var result = ChildProcess.Run(["sh", "-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(30), new Dictionary<string, string> { ["X"] = "1" });
        Assert.Equal((false, 3, "out", "err"), (result.TimedOut, result.ExitCode, result.Output.Trim(), result.Error.Trim()));
    }
}
