using Cosched.Tests.Shared;

namespace Cosched.Scheduling.Tests;

public sealed class ProfileCommandTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cosched-profile-cli-{Guid.NewGuid():N}");

    public ProfileCommandTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public static TheoryData<string[]> BadArguments() => new()
    {
        new[] { "profile", "--app", "hostname" },
        new[] { "profile", "--app", "npb zz --class W" },
        new[] { "profile", "--app", "npb mg --class Q" },
        new[] { "profile", "--app", "npb mg --class W -n 4" },
        new[] { "profile", "--ranks", "1,x" },
        new[] { "profile", "--ranks", "0" },
        new[] { "profile", "--rounds", "0" },
        new[] { "profile", "--queue", "/nonexistent/queue.json" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_input_is_one_line_and_exit_2(string[] arguments) => AssertUsageError(arguments);

    [Fact]
    public void A_malformed_queue_is_one_line_and_exit_2()
    {
        AssertUsageError(["profile", "--queue", File("broken.json", "{\"jobs\": [")]);
        AssertUsageError(["profile", "--queue", File("nojobs.json", "{\"queue\": []}")]);
        AssertUsageError(["profile", "--queue", File("nocommand.json", "{\"jobs\": [{\"name\": \"a\", \"ranks\": 2}]}")]);
        AssertUsageError(["profile", "--queue", File("unknown.json", "{\"jobs\": [{\"name\": \"a\", \"command\": \"sleep 1\", \"ranks\": 2, \"submit_s\": 0}]}")]);
    }

    private static void AssertUsageError(string[] arguments)
    {
        var result = CoschedCli.Run(TimeSpan.FromMinutes(3), arguments);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("cosched: building", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.StartsWith("cosched: ", lines[0]);
        Assert.Equal("", result.Output);
    }
}
