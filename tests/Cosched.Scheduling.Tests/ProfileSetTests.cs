using Cosched.Scheduling.Profiles;

namespace Cosched.Scheduling.Tests;

public class ProfileSetTests
{
    internal static ProfileSet Sample() => new(
        [
            new ApplicationProfile("mg", "npb mg --class W", new Dictionary<int, double> { [1] = 10, [2] = 6 }, 0.7, new Dictionary<int, double> { [2] = 1.3 }),
            new ApplicationProfile("ep", "npb ep --class W", new Dictionary<int, double> { [1] = 8, [2] = 4 }, 0.05, new Dictionary<int, double> { [2] = 1.01 }),
        ],
        [new CoRun("mg", "mg", 1.6), new CoRun("mg", "ep", 1.05), new CoRun("ep", "mg", 1.02), new CoRun("ep", "ep", 1.0)],
        2.0, "test machine");

    [Fact]
    public void Round_trips_through_json()
    {
        var set = Sample();
        var back = ProfileSet.FromJson(set.ToJson());
        Assert.Equal(1.6, back.Slowdown("mg", "mg"));
        Assert.Equal(6, back["mg"].RunSecondsOn(2));
        Assert.Equal(1.3, back["mg"].SplitFactor(2));
        Assert.Equal(2.0, back.MigrationSeconds);
    }

    [Fact]
    public void Unmeasured_sizes_scale_from_the_nearest_measured_one()
    {
        var mg = Sample()["mg"];
        Assert.Equal(3, mg.RunSecondsOn(4));
        Assert.Equal(1.3, mg.SplitFactor(4));
        Assert.Equal(1.0, mg.SplitFactor(1));
    }

    [Fact]
    public void An_unknown_application_is_named_with_those_profiled()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Sample()["bt"]);
        Assert.Contains("mg, ep", e.Message);
    }
}
