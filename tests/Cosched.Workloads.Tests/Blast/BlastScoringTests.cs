namespace Cosched.Workloads.Tests.Blast;

using Cosched.Workloads.Blast;

/// <summary>Statistics, formats and the gapped extension, each held against numbers NCBI blastp
/// 2.12 printed for the same inputs.</summary>
public sealed class BlastScoringTests
{
    private const long UniProtSampleResidues = 9_055_569;
    private const int UniProtSampleSequences = 20_000;

    [Fact]
    public void EffectiveSearchSpaceMatchesBlastp()
    {
        // blastp's report for the 635-letter query Q8WWJ3 against the mmseqs2 example database.
        Assert.Equal(3704027139, SearchStatistics.SearchSpace(635, UniProtSampleResidues, UniProtSampleSequences));
    }

    [Theory]
    // score, query length, subject length, E-value blastp printed
    [InlineData(308, 57, 57, 1.32e-39)]
    public void EValueIsSpougesFiniteSizeCorrection(int score, int queryLength, int subjectLength, double expected)
    {
        double e = SearchStatistics.EValue(score, queryLength, subjectLength, UniProtSampleResidues);
        Assert.InRange(e / expected, 0.99, 1.01);
    }

    [Theory]
    [InlineData(1.32e-39, "1.32e-39")]
    [InlineData(1e-200, "0.0")]
    [InlineData(2.5e-120, "2.50e-120")]
    [InlineData(1.3204e-145, "1.32e-145")]
    [InlineData(0.00123, "0.001")]
    [InlineData(0.456, "0.46")]
    [InlineData(3.84, "3.8")]
    [InlineData(12.4, "12")]
    public void EValuesPrintAsBlastPrintsThem(double evalue, string text) => Assert.Equal(text, TabularFormat.EValue(evalue));

    [Theory]
    [InlineData(123.25, "123")]
    [InlineData(87.43, "87.4")]
    [InlineData(25.8, "25.8")]
    public void BitScoresPrintAsBlastPrintsThem(double bits, string text) => Assert.Equal(text, TabularFormat.BitScore(bits));

    private static byte[] Encode(string letters) => letters.Select(c => (byte)ProteinAlphabet.Encode((byte)c)).ToArray();

    [Fact]
    public void GappedExtensionOpensOneGapWhereItPays()
    {
        // B is A with three letters deleted in the middle; both ends are strong.
        var a = Encode("WWWWWWWWCCCCAAAKKKKKWWWWWWWWCCCC");
        var b = Encode("WWWWWWWWCCCCKKKKKWWWWWWWWCCCC" + "A");
        var aligner = new GappedAligner();
        var columns = new AlignmentColumns();
        int score = aligner.WithTraceback(a, b, b.Length - 1, 64, out int aUsed, out int bUsed, ref columns);
        int expected = 16 * 11 + 8 * 9 + 5 * 5 - (11 + 3 * 1);
        Assert.Equal(expected, score);
        Assert.Equal((a.Length, b.Length - 1), (aUsed, bUsed));
        Assert.Equal(1, columns.GapOpens);
        Assert.Equal(a.Length, columns.Length);
        Assert.Equal(b.Length - 1, columns.Identities);
        Assert.Equal(score, aligner.ScoreOnly(a, b, b.Length - 1, 64, out _, out _));
    }
}
