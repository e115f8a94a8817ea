using System.CommandLine;
using Cosched.Cli;
using Cosched.Cli.Commands;
using Cosched.Messaging;

namespace Cosched.Workloads.Tests;

/// <summary>`cosched bench` refuses bad values with one clear sentence (exit code 2 in Program.cs)
/// before it starts any rank.</summary>
public class BenchCommandTests
{
    private static string UsageError(params string[] args)
    {
        var root = new RootCommand { BenchCommand.Create() };
        var parse = root.Parse(["bench", .. args]);
        Assert.Empty(parse.Errors);
        var e = Assert.Throws<UsageException>(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Theory]
    [InlineData("unknown benchmark 'foo' (expected one of: pingpong, barrier, bcast, reduce, allreduce, gather, scatter, allgather, alltoall)", "foo", "-n", "2")]
    [InlineData("unknown benchmark 'nosuch' (expected one of: pingpong, barrier, bcast, reduce, allreduce, gather, scatter, allgather, alltoall)", "barrier", "nosuch", "-n", "2")]
    [InlineData("unknown benchmark 'nosuch' (expected one of: pingpong, barrier, bcast, reduce, allreduce, gather, scatter, allgather, alltoall)", "barrier,nosuch", "-n", "2")]
    [InlineData("--stats measures pingpong alone (got pingpong barrier)", "pingpong,barrier", "-n", "2", "--stats")]
    [InlineData("--msglog 0:30 is too large for alltoall on 4 ranks: a buffer of 4294967296 bytes exceeds 2147483591", "pingpong", "alltoall", "-n", "4", "--msglog", "30")]
    [InlineData("-n must be between 1 and 4096 ranks (got 0)", "pingpong", "-n", "0")]
    [InlineData("--msglog needs 0 <= MIN <= MAX <= 30 (got 5:3)", "bcast", "-n", "2", "--msglog", "5:3")]
    [InlineData("--msglog wants MIN:MAX, two whole numbers (got '1-4')", "bcast", "-n", "2", "--msglog", "1-4")]
    [InlineData("--time must be a positive number of seconds (got 0)", "bcast", "-n", "2", "--time", "0")]
    [InlineData("unknown format 'xml' (expected one of: imb, json, csv)", "bcast", "-n", "2", "--format", "xml")]
    [InlineData("--stats applies only to pingpong", "allreduce", "-n", "2", "--stats")]
    [InlineData("--rounds applies only with --stats", "pingpong", "-n", "2", "--rounds", "10")]
    [InlineData("--size applies only with --stats or --timeseries", "pingpong", "-n", "2", "--size", "64")]
    [InlineData("--timeseries applies only to pingpong alone", "barrier", "-n", "2", "--timeseries")]
    [InlineData("--timeseries and --stats are two different runs; choose one", "pingpong", "-n", "2", "--timeseries", "--stats")]
    [InlineData("--rounds must be at least 1 (got 0)", "pingpong", "-n", "2", "--stats", "--rounds", "0")]
    [InlineData("unknown channel policy 'ib' (expected one of: locality, per-vm, network)", "pingpong", "-n", "2", "--channels", "ib")]
    public void BadValuesAreOneLine(string expected, params string[] args) => Assert.Equal(expected, UsageError(args));

    [Fact]
    public void UnknownAlgorithmsNameTheValidOnes()
    {
        var message = UsageError("allreduce", "-n", "2", "--algorithm", "allreduce=fastest");
        Assert.StartsWith("--algorithm allreduce=fastest: unknown allreduce algorithm 'fastest'", message);
        Assert.Contains("ring", message);
        Assert.Contains("'x' is not of the form collective=algorithm", UsageError("allreduce", "-n", "2", "--algorithm", "x"));
        Assert.Equal(CollectiveAlgorithms.Auto, CollectiveAlgorithms.Current("allreduce"));
    }
}
