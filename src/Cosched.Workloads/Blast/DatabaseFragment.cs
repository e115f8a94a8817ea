using System.Runtime.InteropServices;
using System.Text;

namespace Cosched.Workloads.Blast;

/// <summary>One fragment of a database in memory: consecutive sequences (ordinal ids FirstOid ..
/// FirstOid+Count-1), their residues in one array and their identifiers.</summary>
public sealed class DatabaseFragment
{
    internal const ulong Magic = 0x3147524C4253_4353; // "SCSBLRG1" in the file (a little-endian word)

    public int FirstOid { get; }
    public int Count => _starts.Length - 1;
    private readonly int[] _starts;
    private readonly byte[] _residues;
    private readonly int[] _nameStarts;
    private readonly byte[] _names;

    private DatabaseFragment(int firstOid, int[] starts, byte[] residues, int[] nameStarts, byte[] names)
    {
        FirstOid = firstOid;
        _starts = starts;
        _residues = residues;
        _nameStarts = nameStarts;
        _names = names;
    }

    /// <summary>Residues of the i-th sequence of this fragment (0-based within the fragment).</summary>
    public ReadOnlySpan<byte> Residues(int i) => _residues.AsSpan(_starts[i], _starts[i + 1] - _starts[i]);

    public string Id(int i) => Encoding.UTF8.GetString(_names, _nameStarts[i], _nameStarts[i + 1] - _nameStarts[i]);

    internal static void Write(string path, int firstOid, IReadOnlyList<ProteinSequence> sequences)
    {
        using var stream = new BufferedStream(File.Create(path), 1 << 16);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(firstOid);
        writer.Write(sequences.Count);
        int position = 0;
        writer.Write(position);
        foreach (var s in sequences) writer.Write(position += s.Residues.Length);
        foreach (var s in sequences) writer.Write(s.Residues);
        var names = sequences.Select(s => Encoding.UTF8.GetBytes(s.Id)).ToArray();
        position = 0;
        writer.Write(position);
        foreach (var n in names) writer.Write(position += n.Length);
        foreach (var n in names) writer.Write(n);
    }

    internal static DatabaseFragment Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (bytes.Length < 16 || MemoryMarshal.Read<ulong>(span) != Magic)
            throw new FastaFormatException($"{path}: not a Cosched BLAST database fragment (run 'cosched blast makedb' again)");
        int firstOid = MemoryMarshal.Read<int>(span[8..]);
        int count = MemoryMarshal.Read<int>(span[12..]);
        int at = 16;
        var starts = MemoryMarshal.Cast<byte, int>(span.Slice(at, 4 * (count + 1))).ToArray();
        at += 4 * (count + 1);
        var residues = span.Slice(at, starts[count]).ToArray();
        at += starts[count];
        var nameStarts = MemoryMarshal.Cast<byte, int>(span.Slice(at, 4 * (count + 1))).ToArray();
        at += 4 * (count + 1);
        var names = span.Slice(at, nameStarts[count]).ToArray();
        return new DatabaseFragment(firstOid, starts, residues, nameStarts, names);
    }
}
