using System.Diagnostics;
using System.Text.RegularExpressions;
using Cosched.Tests.Shared;

namespace Cosched.Domains.Tests;

/// <summary>Runs `./cosched` as a user would, and finds what a job left on the host.</summary>
internal static partial class Cli
{
    public static string RepositoryRoot => CoschedCli.RepositoryRoot;

    public static string[] TestRank(params string[] arguments) => CoschedCli.TestRank(arguments);

    public static Process Start(IEnumerable<string> arguments) => CoschedCli.Start(arguments);

    public static CoschedCli.Result Run(params string[] arguments) => CoschedCli.Run(TimeSpan.FromSeconds(180), arguments);

    /// <summary>The job id the launcher announced with its VMs.</summary>
    public static string JobOf(string stderr) => HostLeftovers.JobOf(stderr);

    public static List<string> Leftovers(string job) => HostLeftovers.Of(job);

    public static List<string> LeftoversAfterSettling(string job) => HostLeftovers.AfterSettling(job);

    [GeneratedRegex(@"cosched: rank (\d+) on (?:host \d+, )?vm (\d+) \(hostname ([^)]*)\)(?: \([^)]*\))? channels: (.*)")]
    private static partial Regex BindingLine();

    /// <summary>Per rank, from --report-bindings: its VM, hostname and the transport to each peer.</summary>
    public static Dictionary<int, (int Vm, string Host, Dictionary<int, string> Channels)> Bindings(string stderr)
    {
        var result = new Dictionary<int, (int, string, Dictionary<int, string>)>();
        foreach (Match m in BindingLine().Matches(stderr))
        {
            var channels = m.Groups[4].Value.Trim().Split(' ').Select(p => p.Split('=')).ToDictionary(p => int.Parse(p[0]), p => p[1]);
            result[int.Parse(m.Groups[1].Value)] = (int.Parse(m.Groups[2].Value), m.Groups[3].Value, channels);
        }
        return result;
    }

    public static void Tmux(params string[] arguments) => Terminal.Tmux(arguments);

    public static void WaitUntil(Func<bool> condition, TimeSpan limit) => Terminal.WaitUntil(condition, limit);

    public static bool IsRoot => HostSupport.IsRoot && HostSupport.HasIpTool;

    public const string NotRoot = "the namespace provider needs root and iproute2; run the tests as root to check it";
}
