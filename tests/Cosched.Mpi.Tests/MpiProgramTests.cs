using Cosched.Tests.Shared;

namespace Cosched.Mpi.Tests;

/// <summary>C and Fortran programs built with `cosched mpicc` and `cosched mpif90` run under
/// `cosched run` like C# ranks: natively and in 2 VMs with both channel policies (namespace VMs need
/// root: as another user the process provider, an emulation, runs them).</summary>
public sealed class MpiProgramTests(MpiPrograms programs) : IClassFixture<MpiPrograms>
{
    public static TheoryData<string, string[]> Placements() => new()
    {
        { "p2p.c", ["-n", "2"] },
        { "p2p.c", ["-n", "3"] },
        { "p2p.c", ["-n", "4", "--vms", "2", "--channels", "locality"] },
        { "p2p.c", ["-n", "4", "--vms", "2", "--channels", "per-vm", "--pin", "scatter"] },
        { "collectives.c", ["-n", "2"] },
        { "collectives.c", ["-n", "3"] },
        { "collectives.c", ["-n", "4", "--vms", "2", "--channels", "locality"] },
        { "collectives.c", ["-n", "4", "--vms", "2", "--channels", "per-vm"] },
        { "errors.c", ["-n", "2"] },
        { "errors.c", ["-n", "2", "--vms", "2"] },
        { "fortran_p2p.f90", ["-n", "2"] },
        { "fortran_p2p.f90", ["-n", "3"] },
        { "fortran_p2p.f90", ["-n", "4", "--vms", "2", "--channels", "per-vm"] },
        { "fortran_collectives.f90", ["-n", "3"] },
        { "fortran_collectives.f90", ["-n", "4", "--vms", "2", "--channels", "locality"] },
        { "fortran_fixed.f", ["-n", "2"] },
        { "fortran_fixed.f", ["-n", "4", "--vms", "2"] },
    };

    [Theory]
    [MemberData(nameof(Placements))]
    public void RunsAndChecksItself(string source, string[] placement)
    {
        var program = programs.Build(source);
        var result = CoschedCli.Run(TimeSpan.FromMinutes(3), ["run", .. placement, "--", program]);
        Assert.True(result.ExitCode == 0, $"{source} {string.Join(' ', placement)}: exit {result.ExitCode}: {result.Error}");
        Assert.Matches(@"(p2p|collectives|errors|fixed-form) ok", result.Output);
    }

    /// <summary>A C program's collectives stay correct while its VMs move between two hosts (root:
    /// namespace VMs; the process provider otherwise).</summary>
    [Fact]
    public void CollectivesStayCorrectWhileVmsMove()
    {
        var program = programs.Build("collectives.c");
        var result = CoschedCli.Run(TimeSpan.FromMinutes(3), "run", "-n", "4", "--vms", "4", "--hosts", "2", "--migrate", "rotate:0.2", "--", program, "3");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"collectives ok on 4 ranks, \d+ rounds", result.Output);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(result.Error, "(?m)^cosched: move \\d+:").Count >= 5, result.Error);
    }

    /// <summary>Under MPI_ERRORS_ARE_FATAL a bad call ends the job: one line naming the call and the
    /// error class, the launcher's line, a non-zero exit; MPI_Abort's code is the job's.</summary>
    [Theory]
    [InlineData("fatal", 1, "cosched: MPI_Send: rank 99 is not in this communicator of 2 ranks (MPI_ERR_RANK); ending the job (MPI_ERRORS_ARE_FATAL)")]
    [InlineData("unsupported", 1, "cosched: MPI_Win_create: MPI_Win_create is not supported by Cosched")]
    [InlineData("abort", 7, "cosched: MPI_Abort was called by rank 1 with error code 7; ending the job")]
    [InlineData("nofinalize", 1, "exited without calling MPI_Finalize")]
    public void ErrorsEndTheJobWithOneLine(string mode, int code, string line)
    {
        var program = programs.Build("errors.c");
        var result = CoschedCli.Run(TimeSpan.FromMinutes(1), "run", "-n", "2", "--", program, mode);
        Assert.Equal(code, result.ExitCode);
        Assert.Contains(line, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"the job took {result.Elapsed.TotalSeconds:0.0} s to end");
    }

    /// <summary>A program started without the launcher is a job of one rank, as with any MPI.</summary>
    [Fact]
    public void RunsAloneWithoutTheLauncher()
    {
        var errors = programs.Build("errors.c");
        var info = new System.Diagnostics.ProcessStartInfo(errors) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        Assert.Contains("errors ok", output);
    }
}
