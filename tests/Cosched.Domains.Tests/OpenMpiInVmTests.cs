using System.Diagnostics;

namespace Cosched.Domains.Tests;

/// <summary>A foreign MPI (Debian's Open MPI) hosted in Cosched's VMs by `cosched mpirun`: each VM
/// is a host of its own to Open MPI, ranks sit where Cosched would put its own, messages cross the
/// VM network, and nothing is left afterwards.</summary>
[Collection("vms")]
public class OpenMpiInVmTests
{
    /// <summary>Each rank sends its rank around a ring and checks what it got, and says on which
    /// host (VM) it runs: a real MPI program whose traffic crosses the VMs.</summary>
    private const string RingProgram = """
        #include <mpi.h>
        #include <stdio.h>
        int main(int argc, char **argv) {
            MPI_Init(&argc, &argv);
            int rank, size, got = -1, len;
            char host[MPI_MAX_PROCESSOR_NAME];
            MPI_Comm_rank(MPI_COMM_WORLD, &rank);
            MPI_Comm_size(MPI_COMM_WORLD, &size);
            MPI_Get_processor_name(host, &len);
            int to = (rank + 1) % size, from = (rank + size - 1) % size;
            MPI_Sendrecv(&rank, 1, MPI_INT, to, 7, &got, 1, MPI_INT, from, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            long sum = 0, mine = rank + 1;
            MPI_Allreduce(&mine, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
            printf("rank %d host %s got %d sum %ld\n", rank, host, got, sum);
            MPI_Finalize();
            return got == from && sum == (long)size * (size + 1) / 2 ? 0 : 3;
        }
        """;

    private static readonly Lazy<string> Ring = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("csdmpi").FullName;
        File.WriteAllText(Path.Combine(dir, "ring.c"), RingProgram);
        var info = new ProcessStartInfo("mpicc", ["-O2", "-o", Path.Combine(dir, "ring"), Path.Combine(dir, "ring.c")]) { RedirectStandardError = true };
        using var cc = Process.Start(info)!;
        var error = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        Assert.True(cc.ExitCode == 0, $"mpicc failed: {error}");
        return Path.Combine(dir, "ring");
    });

    [OpenMpiTheory]
    [InlineData(2, 2, "compact", new[] { 0, 1 })]
    [InlineData(4, 2, "compact", new[] { 0, 0, 1, 1 })]
    [InlineData(4, 2, "scatter", new[] { 0, 1, 0, 1 })]
    [InlineData(3, 3, "compact", new[] { 0, 1, 2 })]
    public void Ranks_of_an_Open_MPI_program_run_in_the_VMs_Cosched_places_them_in(int ranks, int vms, string pin, int[] vmOfRank)
    {
        var result = Cli.Run(["mpirun", "-n", ranks.ToString(), "--vms", vms.ToString(), "--pin", pin, "--", Ring.Value]);
        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var job = Cli.JobOf(result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).Where(f => f.Length == 8 && f[0] == "rank").ToDictionary(f => int.Parse(f[1]));
        Assert.Equal(ranks, lines.Count);
        for (int r = 0; r < ranks; r++)
        {
            Assert.Equal($"cosched-{job}-vm{vmOfRank[r]}", lines[r][3]);
            Assert.Equal(((r + ranks - 1) % ranks).ToString(), lines[r][5]);
            Assert.Equal((ranks * (ranks + 1) / 2).ToString(), lines[r][7]);
        }
        Assert.Empty(Cli.LeftoversAfterSettling(job));
    }

    [OpenMpiFact]
    public void Tcp_only_between_VMs_still_delivers()
    {
        var result = Cli.Run(["mpirun", "-n", "2", "--vms", "2", "--channels", "network", "--", Ring.Value]);
        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [OpenMpiFact]
    public void A_failing_program_gives_its_exit_code_and_leaves_nothing()
    {
        var result = Cli.Run(["mpirun", "-n", "2", "--vms", "2", "--", "sh", "-c", "exit 5"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    [OpenMpiFact]
    public void SIGTERM_of_the_launcher_ends_the_Open_MPI_job_and_leaves_nothing()
    {
        using var launcher = Cli.Start(["mpirun", "-n", "2", "--vms", "2", "--", "sleep", "600"]);
        var error = launcher.StandardError.ReadToEndAsync();
        _ = launcher.StandardOutput.ReadToEndAsync();
        // The job is up once Open MPI's ranks (sleep 600) run in both VMs.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Process.GetProcessesByName("sleep").Count(p => Cmdline(p.Id) == "sleep 600") < 2 && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Assert.Equal(0, Kill(launcher.Id, 15));
        Assert.True(launcher.WaitForExit(TimeSpan.FromSeconds(30)), "the launcher did not end");
        launcher.WaitForExit();
        Assert.Equal(128 + 15, launcher.ExitCode);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(error.Result)));
    }

    [Theory]
    [InlineData("--vms", "2", "--channels", "locality")]
    [InlineData("--vms", "3")]
    [InlineData("--vms", "-1")]
    [InlineData("--channels", "carrier-pigeon")]
    public void Bad_requests_are_one_line_and_exit_2(params string[] options)
    {
        var result = Cli.Run(["mpirun", "-n", "2", .. options, "--", "true"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cosched: ", result.Error);
    }

    private static string Cmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

/// <summary>Needs root (namespace VMs) and Open MPI with its compiler (CI installs both).</summary>
public sealed class OpenMpiFactAttribute : FactAttribute
{
    public OpenMpiFactAttribute() => Skip = OpenMpiTheoryAttribute.Why();
}

/// <summary>The theory form of <see cref="OpenMpiFactAttribute"/>.</summary>
public sealed class OpenMpiTheoryAttribute : TheoryAttribute
{
    public OpenMpiTheoryAttribute() => Skip = Why();

    internal static string? Why() =>
        !Cli.IsRoot ? Cli.NotRoot
        : HostSupport.FindTool("mpicc") == null || HostSupport.FindTool("mpirun") == null
            ? "needs Open MPI (apt-get install openmpi-bin libopenmpi-dev; .ci/run installs it)"
            : null;
}
