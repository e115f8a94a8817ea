using CsCheck;
using Cosched.Scheduling.Traces;

namespace Cosched.Scheduling.Tests;

public class SwfWriterTests
{
    private static string ToText(SwfTrace trace)
    {
        var writer = new StringWriter();
        SwfWriter.Write(trace, writer);
        return writer.ToString();
    }

    private static SwfTrace RoundTrip(SwfTrace trace) => SwfReader.Parse(new StringReader(ToText(trace)), "round-trip.swf");

    // A value SWF can hold: -1 (missing) or one that is not negative. Times keep milliseconds, the
    // precision the writer promises; counts are whole.
    private static readonly Gen<long> Raw = Gen.OneOf(Gen.Const(-1L), Gen.Long[0, 10_000_000_000L], Gen.Long[0, 100]);

    private static double Time(long raw) => raw == -1 ? -1 : raw / 1000.0;
    private static int Count(long raw) => raw == -1 ? -1 : (int)(raw % int.MaxValue);

    private static readonly Gen<SwfJob> Job = Raw.Array[18].Select(v =>
    {
        var allocated = Count(v[4]);
        var requested = Count(v[7]);
        // The reader refuses a job without processors; give such a draw one.
        if (allocated <= 0 && requested <= 0) allocated = 1;
        return new SwfJob(v[0] == -1 ? -1 : v[0], Time(v[1]), Time(v[2]), Time(v[3]), allocated, Time(v[5]), Time(v[6]),
            requested, Time(v[8]), Time(v[9]), Count(v[10]), Count(v[11]), Count(v[12]), Count(v[13]), Count(v[14]),
            Count(v[15]), v[16], Time(v[17]));
    });

    // Header lines as the reader returns them: trimmed, one line each.
    private static readonly Gen<string> HeaderLine = Gen.Char["abcXYZ09 :;.-_"].Array[0, 30].Select(c => new string(c).Trim());

    private static readonly Gen<SwfTrace> Trace = Gen.Select(HeaderLine.List[0, 6], Job.List[0, 40], (h, j) => new SwfTrace(h, j));

    [Fact]
    public void Write_then_read_gives_back_the_same_trace()
    {
        Trace.Sample(trace => Assert.Equal(trace, RoundTrip(trace)), iter: 2000);
    }

    [Fact]
    public void Counts_are_written_without_decimals_and_times_with_at_most_three()
    {
        var trace = new SwfTrace(["Version: 2.2", ""], [new SwfJob(7, 1.5, -1, 3600, 16, 12.34567, -1, 16, 7200.0004, -1, 1, 2, 3, 4, 1, -1, 6, 0)]);
        Assert.Equal("; Version: 2.2\n;\n7 1.5 -1 3600 16 12.346 -1 16 7200 -1 1 2 3 4 1 -1 6 0\n", ToText(trace));
    }

    [Fact]
    public void A_header_line_with_a_line_break_is_refused()
    {
        var trace = new SwfTrace(["one\ntwo"], []);
        Assert.Throws<ArgumentException>(() => ToText(trace));
    }

    [Fact]
    public void Writes_to_a_file_that_reads_back_equal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cosched-{Guid.NewGuid():N}.swf");
        try
        {
            var trace = LublinFeitelson.Generate(500, 64, seed: 3);
            SwfWriter.Write(trace, path);
            Assert.Equal(trace, SwfReader.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
