using Cosched.Scheduling.Profiling;

namespace Cosched.Scheduling.Tests;

public class ProfiledApplicationTests
{
    [Theory]
    [InlineData("npb mg --class W", "mg.W")]
    [InlineData("cosched npb ep --class a", "ep.A")]
    [InlineData("npb cg", "cg.S")]
    [InlineData("blast search --db db --query q.fasta", "blast")]
    public void Names_say_the_kernel_and_class(string command, string name) =>
        Assert.Equal(name, ProfiledApplication.Parse(command).Name);

    [Fact]
    public void Distinct_commands_get_unique_names()
    {
        var apps = ProfiledApplication.Distinct(["npb mg --class W", "npb  mg --class W", "npb mg --class W --pin-threads", "npb ep --class W"]);
        Assert.Equal(["mg.W", "mg.W-2", "ep.W"], apps.Select(a => a.Name));
    }

    [Theory]
    [InlineData("hostname")]
    [InlineData("npb mg --class W -n 2")]
    [InlineData("npb mg --format=json")]
    [InlineData("blast search --db db")]
    public void Refuses_what_it_cannot_profile(string command) =>
        Assert.Throws<FormatException>(() => ProfiledApplication.Parse(command));
}
