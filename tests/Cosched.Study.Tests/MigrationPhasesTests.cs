using Cosched.Study.Report;

namespace Cosched.Study.Tests;

/// <summary>A run of the migration experiment cut into its phases: before, consolidated and after,
/// each without the windows next to a move or the start-up's.</summary>
public class MigrationPhasesTests
{
    [Fact]
    public void EachPhaseIsTheMedianOfItsWindowsWithoutThoseNextToAMove()
    {
        var phases = MigrationPhases.Of(MigrationSample.Series(before: 10, consolidated: 2, after: 12, "shm-host"));
        Assert.Equal((10.0, 2.0, 12.0), (phases.Before.MedianUsec!.Value, phases.Consolidated.MedianUsec!.Value, phases.After.MedianUsec!.Value));
        Assert.Equal(("tcp", "shm-host", "tcp"), (phases.Before.Channel, phases.Consolidated.Channel, phases.After.Channel));
        Assert.All(MigrationPhases.Each, p => Assert.DoesNotContain(p.Of(phases).Windows, w => w.LatencyUsec == MigrationSample.Spike));
        // Before: 0.1 s to 30 ms before the move at 1 s; consolidated: from 50 ms after its end (1.01 s) to 30 ms before 2 s; after: from 2.055 s.
        Assert.Equal((0.113, 0.953), (Math.Round(phases.Before.Windows[0].Seconds, 3), Math.Round(phases.Before.Windows[^1].Seconds, 3)));
        Assert.Equal((1.073, 1.953), (Math.Round(phases.Consolidated.Windows[0].Seconds, 3), Math.Round(phases.Consolidated.Windows[^1].Seconds, 3)));
        Assert.Equal(2.073, Math.Round(phases.After.Windows[0].Seconds, 3));
    }

    [Fact]
    public void ARunWithoutBothMovesHasNoPhases()
    {
        var series = MigrationSample.Series(10, 2, 10, "shm-host");
        var phases = MigrationPhases.Of(series with { Moves = [series.Moves[0]] });
        Assert.All(MigrationPhases.Each, p => Assert.Null(p.Of(phases).MedianUsec));
        Assert.Equal("", phases.Consolidated.Channel);
    }
}
