namespace Cosched.Workloads.Tests.Blast;

using Cosched.Workloads.Blast;

/// <summary>FASTA parsing and the database format: what users feed `cosched blast makedb`.</summary>
public sealed class BlastInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cosched-blast-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsTheWholeProteinAlphabetAndTheFirstWordAsIdentifier()
    {
        var path = Write("ok.fasta", ">sp|P1|ONE first protein\nACDEFGHIKLMNPQRSTVWY\nXBZUO*\n\n>two\nmkv\n");
        var records = FastaReader.Read(path);
        Assert.Equal(["sp|P1|ONE", "two"], records.Select(r => r.Id));
        Assert.Equal("ACDEFGHIKLMNPQRSTVWYXBZUO*", string.Concat(records[0].Residues.Select(ProteinAlphabet.Decode)));
        Assert.Equal("MKV", string.Concat(records[1].Residues.Select(ProteinAlphabet.Decode)));
    }

    [Theory]
    [InlineData("ACDE\n>a\nACDE\n", 1, "outside any record")]
    [InlineData(">a\nACDE\n>b\n>c\nKK\n", 3, "empty sequence")]
    [InlineData(">a\nACDE\nAC1E\n", 3, "unknown residue '1'")]
    [InlineData(">a\nACDE\n>b\n", 3, "empty sequence")]
    public void MalformedInputNamesFileAndLine(string text, int line, string what)
    {
        var path = Write("bad.fasta", text);
        var error = Assert.Throws<FastaFormatException>(() => FastaReader.Read(path));
        Assert.StartsWith($"{path}:{line}: ", error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void DatabaseRoundTripsInBalancedFragments()
    {
        var sequences = Enumerable.Range(0, 10).Select(i => new ProteinSequence($"s{i}", Enumerable.Repeat((byte)(i % 20), 10 + i).ToArray())).ToList();
        var created = ProteinDatabase.Create(sequences, Path.Combine(_dir, "db"), 3);
        var db = ProteinDatabase.Open(Path.Combine(_dir, "db"));
        Assert.Equal(10, db.Sequences);
        Assert.Equal(sequences.Sum(s => s.Residues.Length), db.Residues);
        Assert.Equal(3, db.Fragments.Count);
        Assert.Equal(created.Fragments, db.Fragments);
        int oid = 0;
        for (int f = 0; f < 3; f++)
        {
            var fragment = db.LoadFragment(f);
            Assert.Equal(oid, fragment.FirstOid);
            for (int i = 0; i < fragment.Count; i++, oid++)
            {
                Assert.Equal(sequences[oid].Id, fragment.Id(i));
                Assert.Equal(sequences[oid].Residues, fragment.Residues(i).ToArray());
            }
        }
        Assert.Equal(10, oid);
        // Balanced by residues: no fragment holds more than half of them.
        Assert.All(db.Fragments, f => Assert.True(f.Residues < db.Residues / 2));
    }

    [Fact]
    public void CliReportsMalformedFastaWithExitCode2()
    {
        var path = Write("bad.fasta", ">a\nMKV\nMK#V\n");
        var result = CliProcess.Cosched(TimeSpan.FromMinutes(1), "blast", "makedb", "--in", path, "--out", Path.Combine(_dir, "db"));
        Assert.Equal(2, result.Code);
        Assert.Equal($"cosched: {path}:3: unknown residue '#' in record 'a' (column 3)", result.Error.Trim());
        var search = CliProcess.Cosched(TimeSpan.FromMinutes(1), "blast", "search", "-n", "1", "--db", Path.Combine(_dir, "none"), "--query", path);
        Assert.Equal(2, search.Code);
        Assert.Single(search.Error.Trim().Split('\n'));
    }

    [Fact]
    public void CliMakesADatabaseAndSearchesIt()
    {
        var db = Write("db.fasta", ">alpha\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWUAEDRFLTMSGQASTEYQKRFATETLRYFHHLLGRTRQALQSVEIRTVNGQPLHIWLDGQIPNTIVDLWETERNGHRVRLMTARPYLAYTEELHEAG\n>beta\nGSHMSLFDFFKNKGSAAATATDRLKLPGSEQIREEFLKALDSGLTYGEVKAFLEKHLPQLLEFIDSAITLVLLLGGAGLLWWGIRRHK\n");
        var query = Write("q.fasta", ">q1\nMKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDW\n");
        var made = CliProcess.Cosched(TimeSpan.FromMinutes(1), "blast", "makedb", "--in", db, "--out", Path.Combine(_dir, "db"), "--fragments", "2");
        Assert.True(made.Code == 0, made.Error);
        Assert.Contains("2 sequences, ", made.Output);
        var outFile = Path.Combine(_dir, "hits.tsv");
        var search = CliProcess.Cosched(TimeSpan.FromMinutes(1), "blast", "search", "-n", "2", "--db", Path.Combine(_dir, "db"), "--query", query, "--out", outFile);
        Assert.True(search.Code == 0, search.Error);
        var lines = File.ReadAllLines(outFile);
        var top = lines[0].Split('\t');
        Assert.Equal(["q1", "alpha", "100.000", "221", "0", "0", "1", "221", "1", "221"], top[..10]);
        Assert.DoesNotContain(lines, l => l.Split('\t')[1] == "beta" && double.Parse(l.Split('\t')[10], System.Globalization.CultureInfo.InvariantCulture) < 1e-5);

        // --format json: a summary on standard output, the same tabular output in --out, and its digest.
        var jsonOut = Path.Combine(_dir, "hits-json.tsv");
        var summary = CliProcess.Cosched(TimeSpan.FromMinutes(1), "blast", "search", "-n", "1", "--db", Path.Combine(_dir, "db"), "--query", query, "--out", jsonOut, "--format", "json");
        Assert.True(summary.Code == 0, summary.Error);
        Assert.Equal(File.ReadAllText(outFile), File.ReadAllText(jsonOut));
        using var json = System.Text.Json.JsonDocument.Parse(summary.Output);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("queries").GetInt32());
        Assert.Equal(2, root.GetProperty("database_sequences").GetInt32());
        Assert.Equal(lines.Length, root.GetProperty("hsps").GetInt64());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(jsonOut))), root.GetProperty("digest").GetString());
    }
}
