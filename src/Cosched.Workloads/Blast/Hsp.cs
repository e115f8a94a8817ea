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

    /// <summary>Sets the score and the ranges of an alignment found from the seed (seedQuery, seedSubject).</summary>
    public void Set(int score, int queryStart, int queryEnd, int subjectStart, int subjectEnd, int seedQuery, int seedSubject)
    {
        Score = score;
        QueryStart = queryStart;
        QueryEnd = queryEnd;
        SubjectStart = subjectStart;
        SubjectEnd = subjectEnd;
        SeedQuery = seedQuery;
        SeedSubject = seedSubject;
    }

    /// <summary>The next free slot of a growing list of HSPs (the list doubles when full), so that
    /// the search fills it in place and allocates nothing once it has grown.</summary>
    public static ref Hsp Append(ref Hsp[] list, ref int count)
    {
        if (count == list.Length) Array.Resize(ref list, list.Length * 2);
        return ref list[count++];
    }

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
