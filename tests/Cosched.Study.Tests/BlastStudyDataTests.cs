using Cosched.Study.Running;

namespace Cosched.Study.Tests;

/// <summary>The study's BLAST data checks itself: every query must find the protein it came from first.</summary>
public class BlastStudyDataTests
{
    private static string Line(string query, string subject, string evalue = "1e-50") =>
        $"{query}\t{subject}\t70.000\t100\t30\t0\t1\t100\t1\t100\t{evalue}\t150\n";

    [Fact]
    public void ASearchPassesWhenEveryQueryFindsItsSourceFirst() =>
        Assert.Null(BlastStudyData.Check(Line("q0|s5", "s5") + Line("q0|s5", "s9", "3.2") + Line("q1|s7", "s7"), queries: 2));

    [Fact]
    public void AWrongTopHitOrAMissingQueryFails()
    {
        Assert.Equal("query q1|s7: top hit s8, not the protein it came from",
            BlastStudyData.Check(Line("q0|s5", "s5") + Line("q1|s7", "s8") + Line("q1|s7", "s7"), queries: 2));
        Assert.Equal("1 of 2 queries found any hit", BlastStudyData.Check(Line("q0|s5", "s5"), queries: 2));
        Assert.StartsWith("not a BLAST tabular line", BlastStudyData.Check("q0|s5\ts5\n", queries: 1));
    }
}
