using Cosched.Scheduling.Profiles;
using Cosched.Scheduling.Profiling;
using Cosched.Study.Store;

namespace Cosched.Scheduling.Tests;

public sealed class ProfileStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cosched-profile-store-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private static readonly MachineInfo Machine = new("Test CPU", 2, "6.1", ".NET 10", "abc", "test", true, DateTime.UtcNow);

    private static ProfileMeasurement Row(string app, string kind, int ranks, double value, int round, string? beside = null, int vms = 0, string vmKind = "native") =>
        new(app, app == "mg" ? "npb mg --class A" : "npb ep --class A", kind, ranks, vms, beside, round, value, vmKind);

    /// <summary>Three rounds of everything, with an outlier in each set of three that the median must ignore.</summary>
    private static List<ProfileMeasurement> Rows()
    {
        var rows = new List<ProfileMeasurement>();
        double[] Spread(double median) => [median * 0.9, median, median * 3];
        foreach (var (app, one, two, probe) in new[] { ("mg", 2.0, 1.2, 5.0), ("ep", 4.0, 2.0, 19.0) })
            for (int round = 0; round < 3; round++)
            {
                rows.Add(Row(app, ProfileMeasurement.Alone, 1, Spread(one)[round], round + 1));
                rows.Add(Row(app, ProfileMeasurement.Alone, 2, Spread(two)[round], round + 1));
                rows.Add(Row(app, ProfileMeasurement.Probe, 1, Spread(probe)[round], round + 1, ProfileMeasurement.ProbeApp));
                rows.Add(Row(app, ProfileMeasurement.Split, 2, Spread(two * 1.5)[round], round + 1, vms: 2, vmKind: "namespace"));
                rows.Add(Row(app, ProfileMeasurement.CoRun, 1, Spread(one * (app == "mg" ? 1.6 : 1.1))[round], round + 1, "mg"));
                rows.Add(Row(app, ProfileMeasurement.CoRun, 1, Spread(one * 1.05)[round], round + 1, "ep"));
            }
        for (int round = 0; round < 3; round++)
        {
            rows.Add(new(ProfileMeasurement.ProbeApp, "profile stream", ProfileMeasurement.Probe, 1, 0, null, round + 1, Spread(20)[round], "native"));
            rows.Add(new(ProfileMeasurement.MigrationApp, "bench pingpong --migrate", ProfileMeasurement.Move, 2, 2, null, round + 1, Spread(0.03)[round], "namespace"));
        }
        return rows;
    }

    [Fact]
    public void Load_gives_the_medians_of_the_stored_rows()
    {
        var rows = Rows();
        var computed = ProfileSummary.From([("mg", "npb mg --class A"), ("ep", "npb ep --class A")], rows, "Test CPU, 2 cores");
        ProfileStore.Save(directory, computed, rows, Machine);

        var set = ProfileStore.Load(directory);
        Assert.NotNull(set);
        Assert.Equal(["mg", "ep"], set.Applications.Select(a => a.Name));
        Assert.Equal("npb mg --class A", set["mg"].Command);
        Assert.Equal(2.0, set["mg"].RunSeconds[1], 9);
        Assert.Equal(1.2, set["mg"].RunSeconds[2], 9);
        Assert.Equal(4.0, set["ep"].RunSeconds[1], 9);
        Assert.Equal(1 - 5.0 / 20, set["mg"].Bandwidth, 9);
        Assert.Equal(1 - 19.0 / 20, set["ep"].Bandwidth, 9);
        Assert.Equal(1.5, set["mg"].SplitOverhead[2], 9);
        Assert.Equal(1.0, set["mg"].SplitOverhead[1]);
        Assert.Equal(1.6, set.Slowdown("mg", "mg"), 9);
        Assert.Equal(1.05, set.Slowdown("mg", "ep"), 9);
        Assert.Equal(1.1, set.Slowdown("ep", "mg"), 9);
        Assert.Equal(4, set.CoRuns.Count);
        Assert.Equal(0.03, set.MigrationSeconds, 9);
        Assert.Equal(20, set.ProbeGBps, 9);
        Assert.Equal("namespace", set.SplitVmKind);
        Assert.Equal("Test CPU, 2 cores", set.Machine);
        Assert.Equal(rows, ProfileStore.LoadRows(directory)!.Value.Rows);
    }

    [Fact]
    public void The_latest_profile_is_the_one_loaded()
    {
        var rows = Rows();
        ProfileStore.Save(directory, ProfileSummary.From([("mg", "npb mg --class A"), ("ep", "npb ep --class A")], rows, "first"), rows, Machine);
        var mgOnly = rows.Where(r => r.App != "ep").ToList();
        ProfileStore.Save(directory, ProfileSummary.From([("mg", "npb mg --class A")], mgOnly, "second"), mgOnly, Machine);
        var set = ProfileStore.Load(directory)!;
        Assert.Equal("second", set.Machine);
        Assert.Equal(["mg"], set.Applications.Select(a => a.Name));
    }

    [Fact]
    public void Load_is_null_without_profiles()
    {
        Assert.Null(ProfileStore.Load(directory));
        using (ResultsStore.Open(directory)) { }   // a study's database, with no profile in it
        Assert.Null(ProfileStore.Load(directory));
    }
}
