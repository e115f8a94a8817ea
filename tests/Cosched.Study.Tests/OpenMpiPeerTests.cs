using Cosched.Domains;
using Cosched.Study.Plan;
using Cosched.Study.Running;

namespace Cosched.Study.Tests;

/// <summary>A fact that needs Intel MPI Benchmarks and Open MPI's mpirun; skipped, saying so, where they are absent.</summary>
public sealed class ImbFactAttribute : FactAttribute
{
    /// <summary>COSCHED_IMB, else an IMB-MPI1 on the PATH.</summary>
    public static string? Path => Environment.GetEnvironmentVariable("COSCHED_IMB") ?? HostSupport.FindTool("IMB-MPI1");

    public ImbFactAttribute()
    {
        if (Path == null || !File.Exists(Path)) Skip = $"needs Intel MPI Benchmarks: set COSCHED_IMB to an IMB-MPI1 built against Open MPI ({(Path == null ? "none on the PATH" : $"none at {Path}")})";
        else if (HostSupport.FindTool("mpirun") == null) Skip = "needs Open MPI's mpirun (apt-get install openmpi-bin)";
    }
}

/// <summary>The Open MPI peer runs IMB natively through mpirun and reads its tables.</summary>
public class OpenMpiPeerTests
{
    [ImbFact]
    public void NativePeerRowsComeFromImb()
    {
        var runner = ConfigurationRunner.For(["unused"], ImbFactAttribute.Path, ".");
        foreach (var channels in new[] { "locality", "network" })
        {
            // A generous -time: on a busy host IMB gives up on sizes that overrun it; 1000 repetitions end each size long before.
            var configuration = new Configuration(Experiment.PointToPoint, Configuration.OpenMpi, "pingpong", 2, 0, "compact", channels, "0:2", 5);
            var outcome = runner.Run([configuration])[0];
            Assert.True(outcome.Ok, outcome.Error);
            Assert.Equal([0L, 1, 2, 4], outcome.Measurements.Select(m => m.Bytes));
            Assert.All(outcome.Measurements, m => Assert.True(m.TUsec > 0 && m.MbytesPerSec >= 0));
            Assert.Equal("native", outcome.VmKind);
            Assert.Contains(channels == "network" ? "--mca btl tcp,self" : "--bind-to", outcome.Command);
        }
    }
}
