using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Tests;

/// <summary>An application runs once per round and the study keeps its fastest run: one run on a
/// shared host is noise, and the best of several is what the micro-benchmarks keep too.</summary>
public class ApplicationRoundsTests
{
    [Fact]
    public void TheFastestOfTheRoundsIsKept()
    {
        using var directory = new TempDirectory();
        // A stand-in for `cosched npb ... --format json` that takes 2.0, 1.0, then 3.0 seconds.
        var counter = Path.Combine(directory.Path, "count");
        var script = Path.Combine(directory.Path, "npb-stand-in");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            n=$(cat {{counter}} 2>/dev/null || echo 0); n=$((n + 1)); echo $n > {{counter}}
            case $n in 1) s=2.0;; 2) s=1.0;; *) s=3.0;; esac
            echo "{\"class\": \"S\", \"iterations\": $n, \"seconds\": $s, \"mops_total\": 1, \"mops_per_process\": 0.5, \"verified\": true}"
            """.Replace("\r", ""));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runner = new ConfigurationRunner([script], imbPath: null, rounds: 3);
        var outcome = runner.Run(new Configuration(Experiment.Applications, Configuration.Cosched, "ep", 2, 0, "compact", "locality", "S", 0.01));
        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal((1.0, 2L), (outcome.Application!.Seconds, outcome.Application.Iterations));
        Assert.Equal("3", File.ReadAllText(counter).Trim());
    }
}
