namespace Cosched.Workloads.Tests.Blast;

using Cosched.Workloads.Blast;

/// <summary>The search engine on synthetic proteins: it finds planted relatives, searches each
/// query of a batch as if alone, and allocates nothing per hit once its buffers have grown.</summary>
public sealed class BlastSearchTests
{
    private const long DatabaseResidues = 2_000_000;
    private const int DatabaseSequences = 5_000;

    private static byte[] RandomProtein(Random random, int length)
    {
        var residues = new byte[length];
        for (int i = 0; i < length; i++) residues[i] = (byte)random.Next(20);
        return residues;
    }

    /// <summary>A copy with about one letter in <paramref name="every"/> changed.</summary>
    private static byte[] Mutate(Random random, byte[] source, int every)
    {
        var copy = (byte[])source.Clone();
        for (int i = 0; i < copy.Length; i++)
            if (random.Next(every) == 0) copy[i] = (byte)random.Next(20);
        return copy;
    }

    private static (byte[] Query, List<byte[]> Subjects) Library(int seed)
    {
        var random = new Random(seed);
        var query = RandomProtein(random, 300);
        var subjects = new List<byte[]>();
        for (int i = 0; i < 150; i++) subjects.Add(RandomProtein(random, 200 + random.Next(300)));
        subjects[17] = Mutate(random, query, 4);
        subjects[90] = [.. RandomProtein(random, 50), .. Mutate(random, query[100..250], 3), .. RandomProtein(random, 80)];
        return (query, subjects);
    }

    [Fact]
    public void FindsPlantedRelativesAndNothingSignificantElsewhere()
    {
        var (query, subjects) = Library(1);
        var search = new QuerySearch(query, DatabaseResidues, DatabaseSequences, 10);
        var hits = new List<Hsp>();
        for (int i = 0; i < subjects.Count; i++) search.SearchSubject(subjects[i], i, hits);
        var significant = hits.Where(h => h.EValue < 1e-5).Select(h => h.SubjectOid).Distinct().Order().ToList();
        Assert.Equal([17, 90], significant);
        var partial = hits.First(h => h.SubjectOid == 90);
        Assert.InRange(partial.QueryStart, 90, 110);
        Assert.InRange(partial.QueryEnd, 240, 260);
        Assert.InRange(partial.SubjectStart, 40, 60);
    }

    [Fact]
    public void EachQueryOfABatchIsSearchedAsIfAlone()
    {
        var (first, subjects) = Library(2);
        var (second, more) = Library(3);
        subjects.AddRange(more);
        List<Hsp> Alone(byte[] query)
        {
            var hits = new List<Hsp>();
            var search = new QuerySearch(query, DatabaseResidues, DatabaseSequences, 10);
            for (int i = 0; i < subjects.Count; i++) search.SearchSubject(subjects[i], i, hits);
            return hits;
        }
        var together = new List<Hsp>();
        var batch = new QuerySearch([first, second], DatabaseResidues, DatabaseSequences, 10);
        for (int i = 0; i < subjects.Count; i++) batch.SearchSubject(subjects[i], i, together);
        Assert.Equal(Alone(first), together.Where(h => h.Query == 0));
        Assert.Equal(Alone(second).Select(h => h with { Query = 1 }), together.Where(h => h.Query == 1));
    }

    [Fact]
    public void SearchingAllocatesNothingOnceWarm()
    {
        var (query, subjects) = Library(4);
        var search = new QuerySearch(query, DatabaseResidues, DatabaseSequences, 10);
        var hits = new List<Hsp>(1000);
        for (int i = 0; i < subjects.Count; i++) search.SearchSubject(subjects[i], i, hits);
        int found = hits.Count;
        var allocated = new List<long>();
        for (int pass = 0; pass < 4; pass++)
        {
            hits.Clear();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < subjects.Count; i++) search.SearchSubject(subjects[i], i, hits);
            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(found, hits.Count);
        }
        Assert.Equal([0, 0, 0, 0], allocated);
    }

    [Fact]
    public void AWorkerAnswersItsPeersWhileItSearchesAUnit()
    {
        var random = new Random(5);
        var (query, _) = Library(5);
        var sequences = Enumerable.Range(0, 3000)
            .Select(i => new ProteinSequence($"s{i}", i == 1234 ? Mutate(random, query, 4) : RandomProtein(random, 300)))
            .ToList();
        var directory = Directory.CreateTempSubdirectory("cosched-blast-worker-");
        try
        {
            var database = ProteinDatabase.Create(sequences, directory.FullName, fragments: 1);
            var queries = new[] { new ProteinSequence("q", query) };
            var quiet = new SearchWorker(database, queries, 10).Search(0, 1, 0);
            int calls = 0;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var polled = new SearchWorker(database, queries, 10).Search(0, 1, 0, () => calls++);
            watch.Stop();
            // Progress comes every ~2 ms, so a search of 20 ms or more must have stopped for it.
            if (watch.ElapsedMilliseconds >= 20) Assert.True(calls > 0, $"no progress call in {watch.ElapsedMilliseconds} ms");
            Assert.Equal(quiet.Hsps, polled.Hsps);
            Assert.Equal(quiet.SubjectIds, polled.SubjectIds);
            Assert.Contains("s1234", polled.SubjectIds);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
