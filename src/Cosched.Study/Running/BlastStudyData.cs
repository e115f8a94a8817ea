using System.Globalization;
using System.Text;

namespace Cosched.Study.Running;

/// <summary>The protein search the study runs as its BLAST application (the paper's mpiBLAST): a
/// synthetic database of random proteins with natural amino-acid frequencies, and queries that are
/// mutated pieces of database proteins (a third of their letters changed, a few indels). Generated
/// from a fixed seed, so every machine searches the same data, and self-checking: each query is
/// named after the protein it came from ("q7|s1234"), which must be its top hit.</summary>
public static class BlastStudyData
{
    public const int DatabaseSequences = 20_000;

    /// <summary>The shortest search the study times (and the shortest a finding may rest on).</summary>
    public const double MinimumSeconds = 1.0;
    private const int Seed = 20_261_126;
    private const string Letters = "ARNDCQEGHILKMFPSTWYV";

    // Robinson and Robinson's amino-acid frequencies (per mille), in the order of Letters.
    private static readonly int[] PerMille = [78, 51, 45, 54, 19, 43, 63, 74, 22, 51, 90, 57, 22, 39, 52, 71, 58, 13, 32, 64];

    public sealed record Paths(string Directory, string Database, string Queries);

    /// <summary>Where the data of a study with <paramref name="queries"/> queries lives under <paramref name="studyDirectory"/>.</summary>
    public static Paths For(string studyDirectory, int queries)
    {
        var directory = Path.Combine(Path.GetFullPath(studyDirectory), "blast-data");
        return new Paths(directory, Path.Combine(directory, "db"),
            Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"queries-{queries}.fasta")));
    }

    /// <summary>Writes the FASTA files and makes the database with `cosched blast makedb`, unless
    /// they are already there; returns null, or why it failed.</summary>
    public static string? Prepare(Paths paths, int queries, IReadOnlyList<string> coschedCommand)
    {
        bool haveQueries = File.Exists(paths.Queries), haveDatabase = File.Exists(Path.Combine(paths.Database, "cosched-blast.index"));
        if (haveQueries && haveDatabase) return null;
        System.IO.Directory.CreateDirectory(paths.Directory);
        var proteins = Proteins();
        if (!haveQueries) WriteAtomically(paths.Queries, QueryFasta(proteins, queries));
        if (haveDatabase) return null;
        var fasta = Path.Combine(paths.Directory, "db.fasta");
        WriteAtomically(fasta, DatabaseFasta(proteins));
        var made = ChildProcess.Run([.. coschedCommand, "blast", "makedb", "--in", fasta, "--out", paths.Database, "--fragments", "8"], TimeSpan.FromMinutes(5));
        File.Delete(fasta);
        return made.ExitCode == 0 ? null : $"cosched blast makedb failed: {made.Error.Trim()}";
    }

    /// <summary>Checks a search's tabular output: every query's first hit is the protein it came from.</summary>
    public static string? Check(string tabular, int queries)
    {
        var top = new Dictionary<string, string>();
        foreach (var line in tabular.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var columns = line.Split('\t');
            if (columns.Length != 12) return $"not a BLAST tabular line: {line}";
            top.TryAdd(columns[0], columns[1]);
        }
        if (top.Count != queries) return $"{top.Count} of {queries} queries found any hit";
        foreach (var (query, subject) in top)
            if (query.Split('|') is not [_, var source] || source != subject)
                return $"query {query}: top hit {subject}, not the protein it came from";
        return null;
    }

    private static List<string> Proteins()
    {
        var random = new Random(Seed);
        var cumulative = new int[PerMille.Length];
        for (int i = 0, sum = 0; i < PerMille.Length; i++) cumulative[i] = sum += PerMille[i];
        var proteins = new List<string>(DatabaseSequences);
        var letters = new StringBuilder();
        for (int s = 0; s < DatabaseSequences; s++)
        {
            letters.Clear();
            int length = 80 + random.Next(420);
            for (int i = 0; i < length; i++)
            {
                int draw = random.Next(cumulative[^1]);
                letters.Append(Letters[Array.FindIndex(cumulative, c => draw < c)]);
            }
            proteins.Add(letters.ToString());
        }
        return proteins;
    }

    private static string DatabaseFasta(List<string> proteins)
    {
        var text = new StringBuilder();
        for (int s = 0; s < proteins.Count; s++) text.Append(CultureInfo.InvariantCulture, $">s{s}\n{proteins[s]}\n");
        return text.ToString();
    }

    private static string QueryFasta(List<string> proteins, int queries)
    {
        var random = new Random(Seed + queries);
        var text = new StringBuilder();
        for (int q = 0; q < queries; q++)
        {
            int source = random.Next(proteins.Count);
            var protein = proteins[source];
            int length = Math.Min(protein.Length, 150 + random.Next(200));
            int start = random.Next(protein.Length - length + 1);
            var query = new StringBuilder();
            foreach (char letter in protein.AsSpan(start, length))
            {
                int roll = random.Next(100);
                if (roll < 1) continue;                                              // deletion
                if (roll < 2) query.Append(Letters[random.Next(Letters.Length)]);   // insertion
                query.Append(roll < 35 ? Letters[random.Next(Letters.Length)] : letter);
            }
            text.Append(CultureInfo.InvariantCulture, $">q{q}|s{source}\n{query}\n");
        }
        return text.ToString();
    }

    /// <summary>Writes a file under a temporary name first, so an interrupted study leaves none half-written.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var partial = path + ".partial";
        File.WriteAllText(partial, text);
        File.Move(partial, path, overwrite: true);
    }
}
