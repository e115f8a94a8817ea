namespace Cosched.Launch.Tests;

/// <summary>The job registry's entry (job.json) reads back as it was written: `cosched jobs` and
/// `cosched migrate` find a job's control socket and secret in it.</summary>
public class JobRegistryTests
{
    [Fact]
    public void AnEntryReadsBackWithEveryField()
    {
        var entry = new JobEntry
        {
            Id = "test" + Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant(),
            LauncherPid = Environment.ProcessId, // alive: List() skips entries of dead launchers
            Started = new DateTime(2026, 12, 4, 20, 30, 15, 123, DateTimeKind.Utc),
            Command = "cosched npb mg --class \"W\" -n 2",
            Ranks = 4, Vms = 2, VmKind = "namespace", Hosts = 2, HostOfVm = [0, 1],
            ControlSocket = "/run/cosched/jobs/x/control.sock", Secret = "00FF",
        };
        try
        {
            JobRegistry.Write(entry);
            var read = Assert.Single(JobRegistry.List(), e => e.Id == entry.Id);
            Assert.Equal(entry.HostOfVm, read.HostOfVm);
            Assert.Equal(entry with { HostOfVm = [] }, read with { HostOfVm = [] });
        }
        finally { JobRegistry.Remove(entry.Id); }
    }
}
