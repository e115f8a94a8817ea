namespace Cosched.Workloads.Blast;

/// <summary>A protein database on disk, as `cosched blast makedb` writes it: an index (sizes, the
/// statistics E-values need) and F fragment files of consecutive sequences, which workers search
/// independently, as mpiBLAST's workers search its database fragments.</summary>
public sealed class ProteinDatabase
{
    private const ulong IndexMagic = 0x3158444C4253_4353;
    public const string IndexName = "cosched-blast.index";

    /// <summary>Where one fragment's sequences lie in the database.</summary>
    public readonly record struct FragmentInfo(int FirstOid, int Count, long Residues);

    public string Directory { get; }
    public int Sequences { get; }
    public long Residues { get; }
    public IReadOnlyList<FragmentInfo> Fragments { get; }

    private ProteinDatabase(string directory, int sequences, long residues, FragmentInfo[] fragments)
    {
        Directory = directory;
        Sequences = sequences;
        Residues = residues;
        Fragments = fragments;
    }

    public static string FragmentPath(string directory, int fragment) => Path.Combine(directory, $"fragment.{fragment:D3}");

    /// <summary>Splits the sequences, in order, into <paramref name="fragments"/> runs of about equal
    /// residue counts and writes them with the index.</summary>
    public static ProteinDatabase Create(IReadOnlyList<ProteinSequence> sequences, string directory, int fragments)
    {
        if (fragments < 1) throw new ArgumentOutOfRangeException(nameof(fragments), "at least one fragment");
        fragments = Math.Min(fragments, sequences.Count);
        System.IO.Directory.CreateDirectory(directory);
        long total = sequences.Sum(s => (long)s.Residues.Length);
        var infos = new FragmentInfo[fragments];
        int next = 0;
        long done = 0;
        for (int f = 0; f < fragments; f++)
        {
            int first = next;
            long target = total * (f + 1) / fragments;
            long residues = 0;
            // Leave at least one sequence for each fragment still to come.
            while (next < sequences.Count - (fragments - 1 - f) && (next == first || done + sequences[next].Residues.Length <= target || f == fragments - 1))
            {
                residues += sequences[next].Residues.Length;
                done += sequences[next].Residues.Length;
                next++;
            }
            infos[f] = new FragmentInfo(first, next - first, residues);
            DatabaseFragment.Write(FragmentPath(directory, f), first, sequences.Skip(first).Take(next - first).ToList());
        }
        using (var writer = new BinaryWriter(File.Create(Path.Combine(directory, IndexName))))
        {
            writer.Write(IndexMagic);
            writer.Write(fragments);
            writer.Write(sequences.Count);
            writer.Write(total);
            foreach (var info in infos)
            {
                writer.Write(info.FirstOid);
                writer.Write(info.Count);
                writer.Write(info.Residues);
            }
        }
        return new ProteinDatabase(directory, sequences.Count, total, infos);
    }

    public static ProteinDatabase Open(string directory)
    {
        var path = Path.Combine(directory, IndexName);
        if (!File.Exists(path))
            throw new FastaFormatException($"{directory}: no BLAST database here (make one with 'cosched blast makedb --in FASTA --out {directory}')");
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.BaseStream.Length < 24 || reader.ReadUInt64() != IndexMagic)
            throw new FastaFormatException($"{path}: not a Cosched BLAST database index");
        int fragments = reader.ReadInt32();
        int sequences = reader.ReadInt32();
        long residues = reader.ReadInt64();
        var infos = new FragmentInfo[fragments];
        for (int f = 0; f < fragments; f++) infos[f] = new FragmentInfo(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64());
        return new ProteinDatabase(directory, sequences, residues, infos);
    }

    public DatabaseFragment LoadFragment(int fragment) => DatabaseFragment.Read(FragmentPath(Directory, fragment));
}
