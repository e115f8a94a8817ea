using Cosched.Tests.Shared;

namespace Cosched.Launch.Tests;

/// <summary>Runs `./cosched` as a user would (see <see cref="CoschedCli"/>).</summary>
internal static class Cli
{
    public static string[] TestRank(params string[] arguments) => CoschedCli.TestRank(arguments);

    public static System.Diagnostics.Process Start(IEnumerable<string> arguments) => CoschedCli.Start(arguments);

    public static CoschedCli.Result Run(params string[] arguments) => CoschedCli.Run(TimeSpan.FromSeconds(120), arguments);

    public static CoschedCli.Result Run(TimeSpan timeout, params string[] arguments) => CoschedCli.Run(timeout, arguments);

    /// <summary>Cosched's files in /dev/shm and /tmp whose names carry a job id.</summary>
    public static string[] LeftoverFiles() =>
        Directory.GetFiles("/dev/shm", "cosched-*").Where(f => !f.Contains("cosched-test-")).Concat(Directory.GetDirectories(Path.GetTempPath(), "cosched-*")).ToArray();
}
