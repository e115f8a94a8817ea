namespace Cosched.Launch.Tests;

/// <summary>Every kind of bad command line: exit code 2, one line on stderr, no stack trace.</summary>
[Collection("launcher")]
public class CommandLineTests
{
    [Theory]
    [InlineData("run", "--", "true")]
    [InlineData("run", "-n", "0", "--", "true")]
    [InlineData("run", "-n", "-1", "--", "true")]
    [InlineData("run", "-n", "abc", "--", "true")]
    [InlineData("run", "-n", "2")]
    [InlineData("run", "-n", "2", "--channels", "carrier-pigeon", "--", "true")]
    [InlineData("run", "-n", "2", "--timeout", "-3", "--", "true")]
    [InlineData("run", "-n", "2", "--bind-to", "socket", "--", "true")]
    [InlineData("run", "-n", "2", "--frobnicate", "--", "true")]
    [InlineData("run", "-n", "2", "--", "/no/such/program")]
    [InlineData("no-such-command")]
    public void BadUsageGivesOneLineAndExitCode2(params string[] arguments)
    {
        var result = Cli.Run(arguments);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("cosched: ", lines[0]);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("bench", "--help")]
    public void HelpNamesTheCommandUsersType(params string[] arguments)
    {
        var result = Cli.Run(arguments);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Usage:\s+cosched\b", result.Output);
        Assert.DoesNotContain("Cosched.Cli", result.Output);
    }
}
