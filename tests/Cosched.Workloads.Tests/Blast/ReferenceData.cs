using System.IO.Compression;

namespace Cosched.Workloads.Tests.Blast;

/// <summary>Real proteins and NCBI BLAST+ for the agreement tests: the UniProt sample of Debian's
/// mmseqs2-examples (20,000 proteins and its own queries) and ncbi-blast+'s blastp. CI installs
/// both (.ci/run), so there a missing piece is a failure; on a machine without apt-get the tests
/// skip and say what to install.</summary>
public sealed class ReferenceData : IDisposable
{
    public const string ExampleDirectory = "/usr/share/doc/mmseqs2/example-data";
    public const string Install = "apt-get install ncbi-blast+ mmseqs2-examples";

    public static bool Available =>
        File.Exists(Path.Combine(ExampleDirectory, "DB.fasta.gz")) && File.Exists(Path.Combine(ExampleDirectory, "QUERY.fasta.gz"))
        && FindTool("blastp") != null && FindTool("makeblastdb") != null;

    /// <summary>Null when the data may be used; otherwise why a test skips (no apt-get here).</summary>
    public static string? SkipReason =>
        Available || File.Exists("/usr/bin/apt-get") ? null : $"needs NCBI BLAST+ and the mmseqs2 example proteins ({Install}); this machine has no apt-get";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"cosched-blast-{Environment.ProcessId}-{Guid.NewGuid():N}");
    public string DatabaseFasta => Path.Combine(Directory, "DB.fasta");
    public string QueryFasta => Path.Combine(Directory, "QUERY.fasta");

    private readonly Lazy<bool> _unpacked;

    public ReferenceData()
    {
        _unpacked = new Lazy<bool>(() =>
        {
            Assert.True(Available, $"NCBI BLAST+ or the mmseqs2 example proteins are missing (CI installs them: {Install})");
            System.IO.Directory.CreateDirectory(Directory);
            Gunzip(Path.Combine(ExampleDirectory, "DB.fasta.gz"), DatabaseFasta);
            Gunzip(Path.Combine(ExampleDirectory, "QUERY.fasta.gz"), QueryFasta);
            return true;
        });
    }

    public void Unpack() => _ = _unpacked.Value;

    /// <summary>Writes every <paramref name="step"/>-th query (up to <paramref name="count"/>) to a FASTA file.</summary>
    public string QuerySubset(string name, int step, int count)
    {
        Unpack();
        var path = Path.Combine(Directory, name);
        var records = File.ReadAllText(QueryFasta).Split('>', StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(path, string.Concat(records.Where((_, i) => i % step == 0).Take(count).Select(r => ">" + r)));
        return path;
    }

    public static string? FindTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static void Gunzip(string from, string to)
    {
        using var input = new GZipStream(File.OpenRead(from), CompressionMode.Decompress);
        using var output = File.Create(to);
        input.CopyTo(output);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>A fact that needs the reference data; skipped with a clear message only where apt-get is missing.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    public ReferenceFactAttribute()
    {
        if (ReferenceData.SkipReason is { } reason) Skip = reason;
    }
}
