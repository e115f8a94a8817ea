using Cosched.Scheduling.Profiles;
using Cosched.Tests.Shared;

namespace Cosched.Scheduling.Tests;

/// <summary>`cosched profile --quick` on two small kernels, for real: what it stores, and that it
/// leaves no process behind. The figures are measurements of a shared machine: the test checks
/// that they are plausible, not which kernel is memory-bound.</summary>
public sealed class ProfileEndToEndTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cosched-profile-e2e-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Quick_profile_of_two_kernels_is_stored_whole()
    {
        // MG class W rather than S: S's timed phase of 5 ms varies by half from run to run, too little to take a ratio of.
        var result = CoschedCli.Run(TimeSpan.FromMinutes(4), "profile", "--quick", "--app", "npb ep --class S", "--app", "npb mg --class W", "--out", directory);
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}: {result.Error}");
        Assert.Contains("stored in", result.Output);
        Assert.Contains("cosched profile: [1/", result.Error);

        var set = ProfileStore.Load(directory);
        Assert.NotNull(set);
        Assert.Equal(["ep.S", "mg.W"], set.Applications.Select(a => a.Name));
        foreach (var app in set.Applications)
        {
            Assert.True(app.RunSeconds[1] > 0 && app.RunSeconds[2] > 0, $"{app.Name}: {string.Join(", ", app.RunSeconds)}");
            Assert.InRange(app.Bandwidth, 0, 1);
            // A scheduled job holds its cores longer than its timed phase: the launcher, its VM, .NET start-up.
            Assert.True(app.LaunchSeconds[1] > 0.05 && app.LaunchSeconds[2] > 0.05, $"{app.Name}: launch overhead {string.Join(", ", app.LaunchSeconds)} s");
            Assert.True(app.SplitOverhead[2] > 0, $"{app.Name}: split {app.SplitOverhead[2]}");
        }
        Assert.Equal(4, set.CoRuns.Count);
        Assert.All(set.CoRuns, c => Assert.True(c.Slowdown >= 0.8, $"{c.App} beside {c.Beside}: {c.Slowdown}"));
        Assert.True(set.ProbeGBps > 0);
        Assert.True(set.MigrationSeconds > 0);
        Assert.Contains(set.SplitVmKind, new[] { "namespace", "process" });
        Assert.Contains("cores", set.Machine);

        Assert.Empty(Leftovers());
    }

    /// <summary>Processes of this checkout's CLI (a launcher, a rank, a probe) still alive.</summary>
    private static List<string> Leftovers()
    {
        string cli = Path.Combine(CoschedCli.RepositoryRoot, ".build", "cli");
        List<string> Scan()
        {
            var found = new List<string>();
            foreach (var entry in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(entry), out int pid) || pid == Environment.ProcessId) continue;
                try
                {
                    var command = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                    if (command.Contains(cli, StringComparison.Ordinal) && (command.Contains(" npb ") || command.Contains(" profile ") || command.Contains(" bench ")))
                        found.Add($"{pid}: {command}");
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            return found;
        }
        // A process that is exiting at this very moment gets a moment to go.
        for (int attempt = 0; attempt < 10; attempt++)
        {
            if (Scan() is { Count: 0 } none) return none;
            Thread.Sleep(300);
        }
        return Scan();
    }
}
