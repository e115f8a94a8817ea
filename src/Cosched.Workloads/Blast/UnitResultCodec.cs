using System.Runtime.InteropServices;

namespace Cosched.Workloads.Blast;

/// <summary>Packs a work unit's hits into bytes for a message to the master, and back.</summary>
public static class UnitResultCodec
{
    public static byte[] Encode(SearchWorker.UnitResult? result)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        if (result == null)
        {
            writer.Write(-1);
            return stream.ToArray();
        }
        writer.Write(result.FirstQuery);
        writer.Write(result.QueryCount);
        writer.Write(result.Fragment);
        writer.Write(result.Hsps.Count);
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(result.Hsps)));
        foreach (var id in result.SubjectIds) writer.Write(id);
        return stream.ToArray();
    }

    public static SearchWorker.UnitResult? Decode(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        int query = reader.ReadInt32();
        if (query < 0) return null;
        int queryCount = reader.ReadInt32();
        int fragment = reader.ReadInt32();
        int count = reader.ReadInt32();
        var hsps = new Hsp[count];
        reader.Read(MemoryMarshal.AsBytes(hsps.AsSpan()));
        var ids = new List<string>(count);
        for (int i = 0; i < count; i++) ids.Add(reader.ReadString());
        return new SearchWorker.UnitResult(query, queryCount, fragment, [.. hsps], ids);
    }
}
