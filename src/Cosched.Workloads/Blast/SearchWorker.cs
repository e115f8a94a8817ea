namespace Cosched.Workloads.Blast;

/// <summary>What every rank does as a worker: searches a segment of queries against one database
/// fragment. It loads fragments as it first needs them and keeps the lookup tables of recent segments.</summary>
public sealed class SearchWorker(ProteinDatabase database, IReadOnlyList<ProteinSequence> queries, double evalue)
{
    private readonly Dictionary<int, DatabaseFragment> _fragments = [];
    private readonly Dictionary<int, QuerySearch> _searches = [];
    private readonly Queue<int> _searchOrder = new();
    private const int KeptSearches = 16;

    /// <summary>The hits of one work unit (Hsp.Query is the job's query index) with their subjects' identifiers.</summary>
    public sealed record UnitResult(int FirstQuery, int QueryCount, int Fragment, List<Hsp> Hsps, List<string> SubjectIds);

    /// <summary>How often a search stops to call its progress action: often enough that a rank
    /// waiting on this one (for work, or to finish a large message) hardly notices.</summary>
    private static readonly long ProgressInterval = System.Diagnostics.Stopwatch.Frequency / 500;

    /// <summary>Searches a segment of queries against one fragment. <paramref name="progress"/>, if
    /// given, is called every couple of milliseconds: a rank searching must still answer its peers,
    /// since a message above the eager limit moves only while both ends are in the runtime.</summary>
    public UnitResult Search(int firstQuery, int queryCount, int fragment, Action? progress = null)
    {
        int segment = firstQuery;
        if (!_fragments.TryGetValue(fragment, out var data)) _fragments[fragment] = data = database.LoadFragment(fragment);
        if (!_searches.TryGetValue(segment, out var search))
        {
            var batch = Enumerable.Range(firstQuery, queryCount).Select(q => queries[q].Residues).ToList();
            search = new QuerySearch(batch, database.Residues, database.Sequences, evalue);
            _searches[segment] = search;
            _searchOrder.Enqueue(segment);
            if (_searchOrder.Count > KeptSearches) _searches.Remove(_searchOrder.Dequeue());
        }
        var hsps = new List<Hsp>();
        var ids = new List<string>();
        long nextProgress = System.Diagnostics.Stopwatch.GetTimestamp() + ProgressInterval;
        for (int i = 0; i < data.Count; i++)
        {
            if (progress != null && System.Diagnostics.Stopwatch.GetTimestamp() >= nextProgress)
            {
                progress();
                nextProgress = System.Diagnostics.Stopwatch.GetTimestamp() + ProgressInterval;
            }
            int before = hsps.Count;
            search.SearchSubject(data.Residues(i), data.FirstOid + i, hsps);
            if (hsps.Count > before)
            {
                string id = data.Id(i);
                for (int k = before; k < hsps.Count; k++) ids.Add(id);
            }
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hsps);
        for (int i = 0; i < span.Length; i++) span[i].Query += firstQuery;
        return new UnitResult(firstQuery, queryCount, fragment, hsps, ids);
    }
}
