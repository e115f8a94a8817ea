using System.Globalization;

namespace Cosched.Workloads.Tests.Blast;

/// <summary>`cosched blast` against NCBI's blastp (-comp_based_stats 0) on real UniProt proteins,
/// and against itself on different rank counts.</summary>
public sealed class BlastAgreementTests(ReferenceData data) : IClassFixture<ReferenceData>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private record Row(string Query, string Subject, int QueryStart, int QueryEnd, int SubjectStart, int SubjectEnd, double EValue, double Bits, string Line);

    private static List<Row> Parse(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
    {
        var f = line.Split('\t');
        Assert.True(f.Length == 12, $"not 12 tab-separated columns: {line}");
        var inv = CultureInfo.InvariantCulture;
        return new Row(f[0], f[1], int.Parse(f[6]), int.Parse(f[7]), int.Parse(f[8]), int.Parse(f[9]), double.Parse(f[10], inv), double.Parse(f[11], inv), line);
    }).ToList();

    private string CoschedDatabase()
    {
        var dir = Path.Combine(data.Directory, "cosched-db");
        if (Directory.Exists(dir)) return dir;
        data.Unpack();
        var made = CliProcess.Cosched(Timeout, "blast", "makedb", "--in", data.DatabaseFasta, "--out", dir, "--fragments", "4");
        Assert.True(made.Code == 0, made.Error);
        Assert.Contains("20000 sequences", made.Output);
        return dir;
    }

    [ReferenceFact]
    public void AgreesWithNcbiBlastp()
    {
        var queries = data.QuerySubset("agreement.fasta", step: 25, count: 20);
        var ncbiDb = Path.Combine(data.Directory, "ncbi-db");
        var made = CliProcess.Run("makeblastdb", ["-in", data.DatabaseFasta, "-dbtype", "prot", "-out", ncbiDb], Timeout);
        Assert.True(made.Code == 0, made.Error);
        var ncbi = CliProcess.Run("blastp", ["-query", queries, "-db", ncbiDb, "-outfmt", "6", "-comp_based_stats", "0", "-num_threads", "2"], Timeout);
        Assert.True(ncbi.Code == 0, ncbi.Error);
        var ours = CliProcess.Cosched(Timeout, "blast", "search", "-n", "2", "--db", CoschedDatabase(), "--query", queries);
        Assert.True(ours.Code == 0, ours.Error);

        var theirs = Parse(ncbi.Output);
        var mine = Parse(ours.Output);
        var problems = new List<string>();
        foreach (var query in theirs.GroupBy(r => r.Query))
        {
            var top = mine.FirstOrDefault(r => r.Query == query.Key);
            if (top?.Subject != query.First().Subject)
                problems.Add($"top hit of {query.Key}: NCBI {query.First().Subject}, ours {top?.Subject ?? "none"}");
        }
        static bool Overlap(Row a, Row b) =>
            a.Query == b.Query && a.Subject == b.Subject
            && Math.Min(a.QueryEnd, b.QueryEnd) >= Math.Max(a.QueryStart, b.QueryStart)
            && Math.Min(a.SubjectEnd, b.SubjectEnd) >= Math.Max(a.SubjectStart, b.SubjectStart);
        int wanted = 0, matched = 0;
        var misses = new List<string>();
        foreach (var hsp in theirs.Where(r => r.EValue <= 1e-3))
        {
            wanted++;
            var candidates = mine.Where(r => Overlap(r, hsp)).ToList();
            var close = candidates.FirstOrDefault(r => Math.Abs(r.Bits - hsp.Bits) <= 1.0 && EValuesClose(r.EValue, hsp.EValue));
            if (close != null) matched++;
            else misses.Add($"NCBI {hsp.Line} / ours {candidates.FirstOrDefault()?.Line ?? "none"}");
        }
        foreach (var hsp in mine.Where(r => r.EValue <= 1e-10))
            if (!theirs.Any(r => Overlap(r, hsp))) problems.Add($"spurious: {hsp.Line}");
        Assert.True(wanted > 200, $"too few reference HSPs to judge ({wanted})");
        double share = (double)matched / wanted;
        if (share < 0.95) problems.Add($"only {matched} of {wanted} NCBI HSPs with E <= 1e-3 found with E within 2x and bits within 1 ({share:P1}); first misses:\n{string.Join('\n', misses.Take(10))}");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>Within a factor of 2, where "0.0" (below 1e-180) matches anything that small.</summary>
    private static bool EValuesClose(double ours, double theirs)
    {
        if (ours == 0 || theirs == 0) return Math.Max(ours, theirs) < 1e-170;
        double ratio = ours / theirs;
        return ratio is >= 0.5 and <= 2.0;
    }

    [ReferenceFact]
    public void OutputIsTheSameForAnyRankCountAndPlacement()
    {
        var queries = data.QuerySubset("ranks.fasta", step: 61, count: 6);
        var db = CoschedDatabase();
        string Search(params string[] extra)
        {
            var result = CliProcess.Cosched(Timeout, ["blast", "search", "--db", db, "--query", queries, .. extra]);
            Assert.True(result.Code == 0, $"{string.Join(' ', extra)}: {result.Error}");
            return result.Output;
        }
        var one = Search("-n", "1");
        Assert.True(Parse(one).Select(r => r.Query).Distinct().Count() == 6, "every query should find at least itself or a relative");
        Assert.Equal(one, Search("-n", "2"));
        Assert.Equal(one, Search("-n", "4", "--segment", "1"));
        Assert.Equal(one, Search("-n", "4", "--partitions", "2", "--vms", "2", "--vm-kind", "process", "--pin", "scatter", "--channels", "per-vm"));
    }
}
