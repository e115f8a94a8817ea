using System.Globalization;
using System.Text;

namespace Cosched.Workloads.Blast;

/// <summary>BLAST+'s tabular output (`-outfmt 6`): qseqid sseqid pident length mismatch gapopen
/// qstart qend sstart send evalue bitscore, with its number formats.</summary>
public static class TabularFormat
{
    public static void AppendLine(StringBuilder text, string queryId, string subjectId, in Hsp hsp)
    {
        var c = hsp.Columns;
        var inv = CultureInfo.InvariantCulture;
        text.Append(queryId).Append('\t').Append(subjectId).Append('\t');
        text.Append((100.0 * c.Identities / c.Length).ToString("F3", inv)).Append('\t');
        text.Append(c.Length).Append('\t').Append(c.Mismatches).Append('\t').Append(c.GapOpens).Append('\t');
        text.Append(hsp.QueryStart + 1).Append('\t').Append(hsp.QueryEnd).Append('\t');
        text.Append(hsp.SubjectStart + 1).Append('\t').Append(hsp.SubjectEnd).Append('\t');
        text.Append(EValue(hsp.EValue)).Append('\t').Append(BitScore(SearchStatistics.BitScore(hsp.Score))).Append('\n');
    }

    /// <summary>E-value as BLAST+'s tabular output prints it: "0.0" below 1e-180, then three
    /// significant digits in exponent form below 0.0009, fixed decimals above.</summary>
    public static string EValue(double evalue)
    {
        var inv = CultureInfo.InvariantCulture;
        if (evalue < 1.0e-180) return "0.0";
        if (evalue < 0.0009) return CExponent(evalue, 2);
        if (evalue < 0.1) return evalue.ToString("F3", inv);
        if (evalue < 1.0) return evalue.ToString("F2", inv);
        if (evalue < 10.0) return evalue.ToString("F1", inv);
        return evalue.ToString("F0", inv);
    }

    public static string BitScore(double bits)
    {
        var inv = CultureInfo.InvariantCulture;
        if (bits > 9999) return CExponent(bits, 3);
        if (bits > 99.9) return ((long)bits).ToString(inv);
        return bits.ToString("F1", inv);
    }

    /// <summary>C's "%.{digits}e": mantissa with the given decimals, exponent with at least two digits.</summary>
    private static string CExponent(double value, int digits)
    {
        return value.ToString((digits == 0 ? "0" : "0." + new string('0', digits)) + "e+00", CultureInfo.InvariantCulture);
    }
}
