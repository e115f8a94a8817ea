using System.Text;

namespace Cosched.Workloads.Blast;

/// <summary>Reads protein FASTA strictly: every residue line belongs to a record, every record has
/// residues, every letter is a protein letter; anything else is reported with file and line.</summary>
public static class FastaReader
{
    public static List<ProteinSequence> Read(string path)
    {
        if (!File.Exists(path)) throw new FastaFormatException($"{path}: no such file");
        var records = new List<ProteinSequence>();
        string? id = null;
        int titleLine = 0;
        var residues = new List<byte>(4096);
        int lineNumber = 0;
        using var reader = new StreamReader(path, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        void Finish()
        {
            if (id == null) return;
            if (residues.Count == 0) throw new FastaFormatException($"{path}:{titleLine}: record '{id}' has an empty sequence");
            records.Add(new ProteinSequence(id, [.. residues]));
            residues.Clear();
        }
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length > 0 && line[0] == '>')
            {
                Finish();
                var title = line.AsSpan(1).Trim();
                int space = title.IndexOfAny(' ', '\t');
                id = (space < 0 ? title : title[..space]).ToString();
                if (id.Length == 0) throw new FastaFormatException($"{path}:{lineNumber}: a record title without an identifier");
                titleLine = lineNumber;
                continue;
            }
            var text = line.AsSpan().TrimEnd();
            if (text.IsEmpty) continue;
            if (id == null) throw new FastaFormatException($"{path}:{lineNumber}: sequence line outside any record (a FASTA record starts with '>')");
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                int code = c < 128 ? ProteinAlphabet.Encode((byte)c) : -1;
                if (code < 0)
                {
                    if (c is ' ' or '\t') continue;
                    throw new FastaFormatException($"{path}:{lineNumber}: unknown residue '{c}' in record '{id}' (column {i + 1})");
                }
                residues.Add((byte)code);
            }
        }
        Finish();
        if (records.Count == 0) throw new FastaFormatException($"{path}: no FASTA records");
        return records;
    }
}
