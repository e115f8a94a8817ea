using System.Text.Json;

namespace Cosched.Workloads.Blast;

/// <summary>What `cosched blast search --format json` prints when the search is done: its size, its
/// time on rank 0 (reading the database included), its speed in million DP-matrix cells per second
/// as BLAST benchmarks count it (query letters times database letters over seconds), and a SHA-256
/// of the tabular output, so that runs on other rank counts or placements can be compared.</summary>
public sealed record SearchSummary(int Ranks, int Queries, long QueryResidues, int DatabaseSequences, long DatabaseResidues,
    long Hsps, double Seconds, string Digest)
{
    public double MegaCellsPerSecond => Seconds > 0 ? QueryResidues * (double)DatabaseResidues / Seconds / 1e6 : 0;

    public void Write(TextWriter output)
    {
        var fields = new Dictionary<string, object>
        {
            ["program"] = "blast search",
            ["ranks"] = Ranks,
            ["queries"] = Queries,
            ["query_residues"] = QueryResidues,
            ["database_sequences"] = DatabaseSequences,
            ["database_residues"] = DatabaseResidues,
            ["hsps"] = Hsps,
            ["seconds"] = Seconds,
            ["mcups"] = MegaCellsPerSecond,
            ["digest"] = Digest,
        };
        output.WriteLine(JsonSerializer.Serialize(fields, new JsonSerializerOptions { WriteIndented = true }));
    }
}
