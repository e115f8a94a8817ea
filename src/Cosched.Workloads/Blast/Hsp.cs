namespace Cosched.Workloads.Blast;

/// <summary>One high-scoring pair of a query and a database sequence: 0-based half-open ranges in
/// both, the raw score, and, once traced back, the columns that BLAST's tabular output reports.</summary>
public struct Hsp
{
    /// <summary>Which query of the search batch (or of the job, once merged).</summary>
    public int Query;
    public int SubjectOid;
    public int Score;
    public int QueryStart, QueryEnd, SubjectStart, SubjectEnd;
    /// <summary>The seed the gapped extension starts from (a pair of aligned letters).</summary>
    public int SeedQuery, SeedSubject;
    public double EValue;
    public AlignmentColumns Columns;

    /// <summary>BLAST's order of HSPs within a list (ScoreCompareHSPs): score descending, then
    /// subject start, subject end descending, query start, query end descending.</summary>
    public static int CompareByScore(in Hsp x, in Hsp y)
    {
        int c = y.Score.CompareTo(x.Score);
        if (c == 0) c = x.SubjectStart.CompareTo(y.SubjectStart);
        if (c == 0) c = y.SubjectEnd.CompareTo(x.SubjectEnd);
        if (c == 0) c = x.QueryStart.CompareTo(y.QueryStart);
        if (c == 0) c = y.QueryEnd.CompareTo(x.QueryEnd);
        return c;
    }
}
