using System.CommandLine;
using Cosched.Cli;
using Cosched.Cli.Commands;
using Cosched.Tests.Shared;

namespace Cosched.Study.Tests;

/// <summary>`cosched study` and `cosched report` refuse bad values with one clear line (exit code 2)
/// before they measure anything.</summary>
public class StudyArgumentTests
{
    private static string UsageError(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        var parse = root.Parse([command.Name, .. args]);
        Assert.Empty(parse.Errors);
        var e = Assert.Throws<UsageException>(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Theory]
    [InlineData("--ranks must be between 2 and 4096 (got 1)", "-n", "1")]
    [InlineData("--vms 4 asks for more VMs than the 2 ranks (each VM needs at least one rank)", "-n", "2", "--vms", "0,2,4")]
    [InlineData("--vms wants VM counts separated by commas, e.g. 0,1,2,4 (got '0;2')", "-n", "2", "--vms", "0;2")]
    [InlineData("unknown --pin 'diagonal' (expected some of: compact, scatter)", "--pin", "compact,diagonal")]
    [InlineData("unknown --channels 'network' (expected some of: per-vm, locality)", "--channels", "network")]
    [InlineData("unknown --workloads 'hpl' (expected some of: pingpong, barrier, bcast, allreduce, allgather, alltoall, ep, cg, ft, mg, is, blast, migration)", "--workloads", "alltoall,hpl")]
    [InlineData("--msglog wants MIN:MAX, two whole numbers from 0 to 30 with MIN <= MAX (got '4:2')", "--msglog", "4:2")]
    [InlineData("--time must be a number of seconds above 0 (got 0)", "--time", "0")]
    [InlineData("--rounds must be between 1 and 100 (got 0)", "--rounds", "0")]
    [InlineData("--class must be one of S, W, A, B, C (got 'Z')", "--class", "Z")]
    [InlineData("--queries must be between 1 and 100000 (got 0)", "--queries", "0")]
    [InlineData("unknown --peer 'mpich' (expected: openmpi)", "--peer", "mpich")]
    [InlineData("--imb applies only with --peer openmpi", "--imb", "/bin/true")]
    [InlineData("--imb: no such file '/nonexistent/IMB-MPI1'", "--peer", "openmpi", "--imb", "/nonexistent/IMB-MPI1")]
    [InlineData("--out '/etc/hostname' is a file, not a directory", "--out", "/etc/hostname")]
    [InlineData("--npb: no such directory '/nonexistent/npb'", "--npb", "/nonexistent/npb")]
    [InlineData("--workloads npb needs --npb DIR (a directory of NPB binaries)", "--workloads", "pingpong,npb")]
    [InlineData("--workloads npb:cg needs --npb DIR (a directory of NPB binaries)", "--workloads", "npb:cg")]
    [InlineData("--imb-cosched: no such file '/nonexistent/IMB-MPI1'", "--imb-cosched", "/nonexistent/IMB-MPI1")]
    public void BadStudyValuesAreOneLine(string expected, params string[] args) => Assert.Equal(expected, UsageError(StudyCommand.Create(), args));

    [Fact]
    public void AnNpbDirectoryMustHoldTheBinariesTheWorkloadsName()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "README"), "");
        Assert.Equal($"--npb: no NPB binary in '{directory.Path}' (expected NPB's names, e.g. cg.A.x, bt-mz.A.x or NPB 3.3's bt-mz.A.2, as its make puts them in bin/)",
            UsageError(StudyCommand.Create(), "--npb", directory.Path));
        File.WriteAllText(Path.Combine(directory.Path, "cg.S.x"), "");
        Assert.Equal("--npb: --workloads names none of its binaries (add npb, or some of npb:cg)",
            UsageError(StudyCommand.Create(), "--npb", directory.Path, "--workloads", "pingpong"));
        Assert.Equal("unknown --workloads 'npb:bt' (expected some of: pingpong, barrier, bcast, allreduce, allgather, alltoall, ep, cg, ft, mg, is, blast, migration, npb, npb:cg)",
            UsageError(StudyCommand.Create(), "--npb", directory.Path, "--workloads", "npb:bt"));
    }

    [Fact]
    public void ReportWithoutAStudySaysHowToMakeOne() =>
        Assert.Equal("no study in '/nonexistent/dir' (no study.db; run 'cosched study --out /nonexistent/dir' first)",
            UsageError(ReportCommand.Create(), "--out", "/nonexistent/dir"));

    [Fact]
    public void TheCommandLineExitsTwoWithOneLine()
    {
        var result = CoschedCli.Run(TimeSpan.FromMinutes(3), "study", "--vms", "0,3", "-n", "2");
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("cosched: building", StringComparison.Ordinal)).ToList();
        Assert.Equal("cosched: --vms 3 asks for more VMs than the 2 ranks (each VM needs at least one rank)", Assert.Single(lines));
        Assert.Equal("", result.Output);
    }
}
