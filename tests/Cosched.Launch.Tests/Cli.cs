using Cosched.Tests.Shared;

namespace Cosched.Launch.Tests;

/// <summary>Runs `./cosched` as a user would (see <see cref="CoschedCli"/>).</summary>
internal static class Cli
{
    public static string[] TestRank(params string[] arguments) => CoschedCli.TestRank(arguments);

    public static System.Diagnostics.Process Start(IEnumerable<string> arguments) => CoschedCli.Start(arguments);

    public static CoschedCli.Result Run(params string[] arguments) => CoschedCli.Run(TimeSpan.FromSeconds(120), arguments);

    public static CoschedCli.Result Run(TimeSpan timeout, params string[] arguments) => CoschedCli.Run(timeout, arguments);

    /// <summary>The files in /dev/shm and /tmp of the job whose test ranks wrote <paramref name="stderr"/>
    /// ("test rank: job ID"); other jobs, of tests running beside this one, are not counted.</summary>
    public static string[] LeftoverFiles(string stderr)
    {
        var match = System.Text.RegularExpressions.Regex.Match(stderr, "test rank: job ([0-9a-f]{8})");
        Assert.True(match.Success, $"no job line in: {stderr}");
        var job = match.Groups[1].Value;
        return Directory.GetFiles("/dev/shm", $"cosched-{job}*").Concat(Directory.GetDirectories(Path.GetTempPath(), $"cosched-{job}*")).ToArray();
    }
}
