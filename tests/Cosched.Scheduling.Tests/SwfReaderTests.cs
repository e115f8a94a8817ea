using Cosched.Scheduling.Traces;

namespace Cosched.Scheduling.Tests;

public class SwfReaderTests
{
    private const string Sample = """
        ; Version: 2.2
        ;Computer: test machine
          ; MaxProcs: 128

        1 0 10 3600 64 3500.5 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1
        2  12.5  -1  59.25  -1  -1 -1  8  120  -1  0  3 1 7 0 -1  1  2.75

        3 20 -1 -1 -1 -1 -1 16 -1 -1 5 -1 -1 -1 -1 -1 -1 -1
        """;

    private static SwfTrace ParseText(string text) => SwfReader.Parse(new StringReader(text), "trace.swf");

    private static string Failure(string text) => Assert.Throws<SwfFormatException>(() => ParseText(text)).Message;

    [Fact]
    public void Reads_header_comments_blank_lines_missing_fields_and_decimals()
    {
        var trace = ParseText(Sample);
        Assert.Equal(["Version: 2.2", "Computer: test machine", "MaxProcs: 128"], trace.Header);
        Assert.Equal(128, trace.MaxProcessors);
        Assert.Equal(3, trace.Jobs.Count);

        Assert.Equal(new SwfJob(1, 0, 10, 3600, 64, 3500.5, -1, 64, 7200, -1, 1, 3, 1, 7, 1, -1, -1, -1), trace.Jobs[0]);
        var second = trace.Jobs[1];
        Assert.Equal(12.5, second.SubmitSeconds);
        Assert.Equal(59.25, second.RunSeconds);
        Assert.Equal(2.75, second.ThinkTimeSeconds);
        Assert.Equal(1, second.PrecedingJob);
        Assert.Equal(8, second.Processors);          // allocated is missing: the request stands in
        Assert.Equal(120, second.RequestedOrRunSeconds);
        Assert.Equal(0, second.Status);              // failed jobs are kept; the caller decides

        var third = trace.Jobs[2];
        Assert.Equal(5, third.Status);
        Assert.Equal(16, third.Processors);
        Assert.Equal(-1, third.RequestedOrRunSeconds);
    }

    [Fact]
    public void Run_time_stands_in_for_a_missing_request_and_allocation_for_a_zero_one()
    {
        var job = ParseText("1 0 -1 300 0 -1 -1 4 -1 -1 5 -1 -1 -1 -1 -1 -1 -1").Jobs[0];
        Assert.Equal(300, job.RequestedOrRunSeconds);
        Assert.Equal(4, job.Processors);
    }

    [Fact]
    public void Max_nodes_is_the_fallback_for_max_procs()
    {
        Assert.Equal(64, ParseText("; MaxNodes: 64\n").MaxProcessors);
        Assert.Equal(32, ParseText("; MaxNodes: 64\n; MaxProcs: 32\n").MaxProcessors);
        Assert.Null(ParseText("; MaxProcs: -1\n; Note: none\n").MaxProcessors);
        Assert.Empty(ParseText("").Jobs);
    }

    [Theory]
    [InlineData("1 0 10 3600 64 -1 -1 64 7200 -1 1 3", "trace.swf:7: expected 18 fields, found 12")]
    [InlineData("1 0 10 3600 64 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1 9", "trace.swf:7: expected 18 fields, found 19")]
    [InlineData("1 0 10 abc 64 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 4 (run time) is not a number: 'abc'")]
    [InlineData("1 0 10 NaN 64 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 4 (run time) is not a number: 'NaN'")]
    [InlineData("1 0 10 1,5 64 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 4 (run time) is not a number: '1,5'")]
    [InlineData("1 -5 10 3600 64 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 2 (submit time) is negative: '-5' (only -1, for missing, may be)")]
    [InlineData("1 0 10 3600 -2 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 5 (allocated processors) is negative: '-2' (only -1, for missing, may be)")]
    [InlineData("1 0 10 3600 64 -1 -1 64 -0.5 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 9 (requested time) is negative: '-0.5' (only -1, for missing, may be)")]
    [InlineData("1 0 10 3600 6.5 -1 -1 64 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: field 5 (allocated processors) is not a whole number: '6.5'")]
    [InlineData("1 0 10 3600 -1 -1 -1 -1 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: job 1 has neither allocated nor requested processors (fields 5 and 8 are -1 and -1)")]
    [InlineData("1 0 10 3600 0 -1 -1 0 7200 -1 1 3 1 7 1 -1 -1 -1", "trace.swf:7: job 1 has neither allocated nor requested processors (fields 5 and 8 are 0 and 0)")]
    [InlineData("# not swf", "trace.swf:7: field 1 (job number) is not a number: '#'")]
    public void A_malformed_line_is_named_with_its_number_in_one_line(string line, string message)
    {
        // Six good lines first (comments, a blank, jobs) so the number must count all of them.
        var text = "; Version: 2.2\n; MaxProcs: 64\n\n1 0 -1 10 1 -1 -1 1 60 -1 1 -1 -1 -1 1 -1 -1 -1\n  \n; a comment between jobs\n" + line + "\n";
        var actual = Failure(text);
        Assert.Equal(message, actual);
        Assert.DoesNotContain('\n', actual);
    }

    [Fact]
    public void Read_names_the_file_by_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cosched-{Guid.NewGuid():N}.swf");
        try
        {
            File.WriteAllText(path, "; MaxProcs: 4\n1 0 -1 10 1 -1 -1 1 60 -1 1 -1 -1 -1 1 -1 -1 -1\n2 0 -1\n");
            var e = Assert.Throws<SwfFormatException>(() => SwfReader.Read(path));
            Assert.Equal($"{path}:3: expected 18 fields, found 3", e.Message);
            Assert.Equal(3, e.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
