namespace Cosched.Launch.Tests;

/// <summary>--migrate's schedule: what it accepts, in order, and what it refuses.</summary>
public class MoveScheduleTests
{
    [Fact]
    public void StepsAreParsedAndSortedByTime()
    {
        var schedule = MoveSchedule.Parse("2.5:1:0,0.5:0:1");
        Assert.Null(schedule.RotateSeconds);
        Assert.Equal([new MoveSchedule.Step(0.5, 0, 1), new MoveSchedule.Step(2.5, 1, 0)], schedule.Steps);
        Assert.Null(schedule.Validate(vms: 2, hosts: 2));
    }

    [Fact]
    public void RotateTakesSeconds()
    {
        var schedule = MoveSchedule.Parse("rotate:0.3");
        Assert.Equal(0.3, schedule.RotateSeconds);
        Assert.Empty(schedule.Steps);
    }

    [Theory]
    [InlineData("rotate:")]
    [InlineData("rotate:-1")]
    [InlineData("rotate:NaN")]
    [InlineData("1:0")]
    [InlineData("-1:0:1")]
    [InlineData("1:a:1")]
    [InlineData("1:0:1,")]
    public void MalformedSchedulesAreRefused(string text) =>
        Assert.StartsWith("--migrate", Assert.Throws<FormatException>(() => MoveSchedule.Parse(text)).Message);

    [Theory]
    [InlineData("1:0:1", 0, 2, "--migrate needs VMs (--vms K)")]
    [InlineData("1:0:1", 2, 1, "--migrate needs at least two hosts (--hosts H)")]
    [InlineData("1:2:1", 2, 2, "--migrate: VM 2 does not exist (VMs are 0..1)")]
    [InlineData("1:1:3", 2, 2, "--migrate: host 3 does not exist (hosts are 0..1)")]
    public void SchedulesMustFitTheJob(string text, int vms, int hosts, string problem) =>
        Assert.Equal(problem, MoveSchedule.Parse(text).Validate(vms, hosts));
}
