using System.Text;
using Cosched.Messaging;

namespace Cosched.Workloads.Blast;

/// <summary>The parallel search, structured like mpiBLAST: rank 0 is the super-master and hands
/// segments of queries to partitions; each partition has a master (its first rank) and workers
/// (its other ranks). A master splits a segment into work units (a segment of queries against one
/// database fragment), hands them out on request, merges each query's hits in E-value order once every
/// fragment has answered, and sends the finished query to the super-master, which prints queries
/// in input order. Masters search too, so no core idles, and answer messages every couple of
/// milliseconds while they do; workers keep two requests outstanding and send results without
/// blocking, so they never wait for a master busy with its own unit. The output does
/// not depend on the rank count or placement: every unit's hits are the same wherever it ran, and
/// the merge order is total.</summary>
public sealed class BlastJob
{
    private const int TagWorkRequest = 601, TagWork = 602, TagSegmentRequest = 603, TagSegment = 604, TagQueryResult = 605;
    private const int Credits = 2;
    private const int SuperMaster = 0;

    private readonly Communicator _comm;
    private readonly SearchOptions _options;
    private readonly ProteinDatabase _database;
    private readonly IReadOnlyList<ProteinSequence> _queries;
    private readonly SearchWorker _worker;
    private readonly int _partitionSize;

    private BlastJob(Communicator comm, SearchOptions options, ProteinDatabase database, IReadOnlyList<ProteinSequence> queries)
    {
        _comm = comm;
        _options = options;
        _database = database;
        _queries = queries;
        _worker = new SearchWorker(database, queries, options.EValue);
        int partitions = options.Partitions > 0 ? Math.Min(options.Partitions, comm.Size) : (comm.Size + 7) / 8;
        _partitionSize = (comm.Size + partitions - 1) / partitions;
    }

    /// <summary>Runs this rank's part of the search; rank 0 writes the tabular output.</summary>
    public static int Run(Communicator comm, SearchOptions options, TextWriter output)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var database = ProteinDatabase.Open(options.DatabaseDirectory);
        var queries = FastaReader.Read(options.QueryPath);
        var job = new BlastJob(comm, options, database, queries);
        if (comm.Rank % job._partitionSize == 0) job.RunMaster(options.Json ? TextWriter.Null : output);
        else job.RunWorker(comm.Rank - comm.Rank % job._partitionSize);
        if (options.Json && comm.Rank == SuperMaster)
            new SearchSummary(comm.Size, queries.Count, queries.Sum(q => (long)q.Residues.Length), database.Sequences, database.Residues,
                job._hspLines, watch.Elapsed.TotalSeconds, Convert.ToHexStringLower(job._digest.GetHashAndReset())).Write(output);
        return 0;
    }

    // ---- worker --------------------------------------------------------------------------------

    private void RunWorker(int master)
    {
        var units = new Queue<(int FirstQuery, int QueryCount, int Fragment)>();
        int outstanding = 0;
        bool done = false;
        for (int i = 0; i < Credits; i++)
        {
            SendRequest(master, null, wantsMore: true);
            outstanding++;
        }
        var work = new int[3];
        while (outstanding > 0 || units.Count > 0)
        {
            if (outstanding > 0 && (units.Count == 0 || _comm.Iprobe<int>(master, TagWork, out _)))
            {
                _comm.Recv<int>(work, master, TagWork);
                outstanding--;
                if (work[0] < 0) done = true;
                else units.Enqueue((work[0], work[1], work[2]));
                continue;
            }
            var (first, count, fragment) = units.Dequeue();
            var result = _worker.Search(first, count, fragment, TestSends);
            SendRequest(master, result, wantsMore: !done);
            if (!done) outstanding++;
        }
        foreach (var send in _sends) send.Wait();
    }

    // A worker's results go out without waiting for the master: a large one moves on while the
    // worker searches its next unit (TestSends drives it), and the master answers between subjects.
    private readonly List<Request> _sends = [];

    private void TestSends() => _sends.RemoveAll(send => send.Test(out _));

    private void SendRequest(int master, SearchWorker.UnitResult? result, bool wantsMore)
    {
        var payload = UnitResultCodec.Encode(result);
        var message = new byte[payload.Length + 1];
        message[0] = wantsMore ? (byte)1 : (byte)0;
        payload.CopyTo(message, 1);
        _sends.Add(_comm.Isend<byte>(message, master, TagWorkRequest));
    }

    // ---- master (and, on rank 0, super-master) ------------------------------------------------

    private sealed class WorkerState
    {
        public int Requests, Replies;
        public bool DoneSent;
    }

    // Units not yet handed out, in segment order; TakeUnit prefers the segment a rank worked on
    // last, so that each rank builds a segment's lookup table once and ranks rarely share one.
    private readonly List<(int FirstQuery, int QueryCount, int Fragment)> _units = [];
    private readonly Dictionary<int, int> _lastSegment = [];

    private (int FirstQuery, int QueryCount, int Fragment) TakeUnit(int rank)
    {
        int index = _lastSegment.TryGetValue(rank, out int last) ? _units.FindIndex(u => u.FirstQuery == last) : -1;
        if (index < 0)
        {
            // A segment no other rank has started, if there is one.
            var started = new HashSet<int>(_lastSegment.Values);
            index = Math.Max(0, _units.FindIndex(u => !started.Contains(u.FirstQuery)));
        }
        var unit = _units[index];
        _units.RemoveAt(index);
        _lastSegment[rank] = unit.FirstQuery;
        return unit;
    }
    private readonly Dictionary<int, (QueryHits Hits, int Remaining)> _open = [];
    private readonly Dictionary<int, WorkerState> _workers = [];
    private readonly Queue<int> _waiting = new();
    private bool _segmentRequested, _noMoreSegments;

    // Super-master state: what it has written, for the JSON summary.
    private readonly System.Security.Cryptography.IncrementalHash _digest =
        System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
    private long _hspLines;
    private int _nextSegmentQuery;
    private string?[] _texts = [];
    private int _nextToWrite;
    private TextWriter? _output;

    private void RunMaster(TextWriter output)
    {
        bool isSuper = _comm.Rank == SuperMaster;
        if (isSuper)
        {
            _texts = new string?[_queries.Count];
            _output = _options.OutputPath == null ? output : new StreamWriter(_options.OutputPath, append: false, new UTF8Encoding(false), 1 << 16);
        }
        for (int r = _comm.Rank + 1; r < Math.Min(_comm.Rank + _partitionSize, _comm.Size); r++) _workers[r] = new WorkerState();
        try
        {
            RequestSegmentIfLow();
            while (true)
            {
                Poll();
                if (_units.Count > 0)
                {
                    var (first, count, fragment) = TakeUnit(_comm.Rank);
                    Merge(_worker.Search(first, count, fragment, Poll));
                    RequestSegmentIfLow();
                    continue;
                }
                if (Finished(isSuper)) break;
                Handle(_comm.Probe(Communicator.AnySource, Communicator.AnyTag));
            }
        }
        finally
        {
            if (isSuper && _output != output) _output?.Dispose();
            else _output?.Flush();
        }
    }

    /// <summary>Answers every message that has arrived: called between units and, from inside the
    /// master's own search, every couple of milliseconds, so workers never wait for a busy master.</summary>
    private void Poll()
    {
        while (_comm.Iprobe(Communicator.AnySource, Communicator.AnyTag, out var status)) Handle(status);
        ServeWaiting();
    }

    private bool Finished(bool isSuper)
    {
        if (!_noMoreSegments || _units.Count > 0 || _open.Count > 0) return false;
        foreach (var w in _workers.Values)
            if (w.Requests < Credits || w.Replies < w.Requests || !w.DoneSent) return false;
        return !isSuper || _nextToWrite == _queries.Count;
    }

    private void Handle(Status status)
    {
        var message = new byte[status.Count];
        _comm.Recv<byte>(message, status.Source, status.Tag);
        switch (status.Tag)
        {
            case TagWorkRequest:
            {
                var state = _workers[status.Source];
                if (UnitResultCodec.Decode(message[1..]) is { } result) Merge(result);
                if (message[0] == 1)
                {
                    state.Requests++;
                    _waiting.Enqueue(status.Source);
                }
                break;
            }
            case TagSegment:
                _segmentRequested = false;
                AddSegment(BitConverter.ToInt32(message, 0), BitConverter.ToInt32(message, 4));
                break;
            case TagSegmentRequest:
            {
                var (first, count) = NextSegment();
                var reply = new byte[8];
                BitConverter.TryWriteBytes(reply.AsSpan(0), first);
                BitConverter.TryWriteBytes(reply.AsSpan(4), count);
                _comm.Send<byte>(reply, status.Source, TagSegment);
                break;
            }
            case TagQueryResult:
                StoreResult(BitConverter.ToInt32(message, 0), Encoding.UTF8.GetString(message, 4, message.Length - 4));
                break;
            default:
                throw new InvalidOperationException($"blast: unexpected message tag {status.Tag} from rank {status.Source}");
        }
    }

    private void ServeWaiting()
    {
        var work = new int[3];
        while (_waiting.Count > 0)
        {
            if (_units.Count > 0)
            {
                (work[0], work[1], work[2]) = TakeUnit(_waiting.Peek());
                RequestSegmentIfLow();
            }
            else if (_noMoreSegments)
            {
                work[0] = work[1] = work[2] = -1;
                _workers[_waiting.Peek()].DoneSent = true;
            }
            else
            {
                RequestSegmentIfLow();
                if (_units.Count == 0 && !_noMoreSegments) return;
                continue;
            }
            int worker = _waiting.Dequeue();
            _workers[worker].Replies++;
            _comm.Send<int>(work, worker, TagWork);
        }
    }

    /// <summary>Asks for the next segment while fewer units are queued than the partition can take at once.</summary>
    private void RequestSegmentIfLow()
    {
        if (_noMoreSegments || _segmentRequested || _units.Count >= Credits * _partitionSize) return;
        if (_comm.Rank == SuperMaster)
        {
            var (first, count) = NextSegment();
            AddSegment(first, count);
        }
        else
        {
            _segmentRequested = true;
            _comm.Send<byte>([], SuperMaster, TagSegmentRequest);
        }
    }

    private (int First, int Count) NextSegment()
    {
        int first = _nextSegmentQuery;
        int count = Math.Min(_options.SegmentSize, _queries.Count - first);
        _nextSegmentQuery += count;
        return (first, count);
    }

    private void AddSegment(int first, int count)
    {
        if (count == 0)
        {
            _noMoreSegments = true;
            return;
        }
        int fragments = _database.Fragments.Count;
        for (int q = first; q < first + count; q++) _open[q] = (new QueryHits(), fragments);
        for (int f = 0; f < fragments; f++) _units.Add((first, count, f));
    }

    private void Merge(SearchWorker.UnitResult result)
    {
        for (int i = 0; i < result.Hsps.Count; i++) _open[result.Hsps[i].Query].Hits.Add(result.Hsps[i], result.SubjectIds[i]);
        for (int query = result.FirstQuery; query < result.FirstQuery + result.QueryCount; query++)
        {
            var (hits, remaining) = _open[query];
            if (--remaining > 0)
            {
                _open[query] = (hits, remaining);
                continue;
            }
            _open.Remove(query);
            string text = hits.ToTabular(_queries[query].Id, _options.MaxTargetSequences);
            if (_comm.Rank == SuperMaster)
            {
                StoreResult(query, text);
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(text);
            var message = new byte[bytes.Length + 4];
            BitConverter.TryWriteBytes(message.AsSpan(0), query);
            bytes.CopyTo(message, 4);
            _comm.Send<byte>(message, SuperMaster, TagQueryResult);
        }
    }

    private void StoreResult(int query, string text)
    {
        _texts[query] = text;
        while (_nextToWrite < _texts.Length && _texts[_nextToWrite] is { } ready)
        {
            _output!.Write(ready);
            _digest.AppendData(Encoding.UTF8.GetBytes(ready));
            _hspLines += ready.Count(c => c == '\n');
            _texts[_nextToWrite++] = null;
        }
    }
}
