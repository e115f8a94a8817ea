using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Cosched.Workloads.Blast;

/// <summary>blastp for a batch of queries against database sequences, one subject at a time:
/// seeds from one word lookup table over all queries of the batch (so the subject is scanned once
/// for all of them, as BLAST+ does with concatenated queries), the two-hit method on diagonals,
/// ungapped X-drop extension, then per query a score-only gapped extension of the seeds above the
/// gap trigger, a gapped extension with traceback of the survivors, and E-values over the whole
/// database. Every query is searched as if alone: extensions stop at its ends. All per-hit state
/// lives in buffers owned by this object.</summary>
public sealed class QuerySearch
{
    public const int TwoHitWindow = 40;
    /// <summary>Ungapped X-drop, gap trigger, preliminary and final gapped X-drop, in bits.</summary>
    public const double UngappedXDropBits = 7, GapTriggerBits = 22, PreliminaryXDropBits = 15, FinalXDropBits = 25;
    private const int WindowForGappedStart = 11;
    private const int PrefetchDistance = 8;
    /// <summary>blastp's kRestrictedMult: restricted preliminary extensions are used for a subject
    /// whose best ungapped HSP scores below this fraction of the gapped cutoff.</summary>
    public const double RestrictedFraction = 0.68;

    /// <summary>One query of the batch: where it lies in the concatenation, and its cut-offs.</summary>
    private sealed class Context
    {
        public required byte[] Residues;
        public required byte[] Reversed;
        public int Start;
        public int UngappedCutoff, GappedCutoff;
    }

    private readonly Context[] _contexts;
    // The queries one after another (one spare letter between them), and which context each letter
    // belongs to. Ungapped extensions score letter pairs from BLOSUM62 (4 KiB, always in L1) rather
    // than from a query profile (128 bytes a query letter), which crowded the lookup tables out of L2.
    private readonly int[] _contextOf;
    private readonly byte[] _concatenated;
    private readonly WordLookup _lookup;
    private readonly int _ungappedXDrop, _preliminaryXDrop, _finalXDrop;
    private readonly double _evalueThreshold;
    private readonly long _databaseResidues;
    private readonly GappedAligner _aligner = new();

    // The diagonal table of the two-hit method: the last hit (plus _diagonalOffset), with the sign
    // bit set when an extension on the diagonal has already covered up to that point.
    private readonly int[] _diagonals;
    // The second hits of one letter, as (query offset, last hit) pairs: room for every hit of the most frequent word.
    private readonly int[] _pending;
    private readonly int _diagonalMask;
    private int _diagonalOffset = TwoHitWindow;

    // The query the gapped stages work on.
    private byte[] _query = [];
    private byte[] _queryReversed = [];
    private int _gappedCutoff;

    private Hsp[] _ungapped = new Hsp[64];
    private int _ungappedCount;
    private Hsp[] _gapped = new Hsp[16];
    private int _gappedCount;
    private Hsp[] _traced = new Hsp[16];
    private int _tracedCount;
    private bool[] _removed = new bool[16];
    private byte[] _subjectForward = new byte[1024];
    private byte[] _subjectReversed = new byte[1024];

    public QuerySearch(byte[] query, long databaseResidues, int databaseSequences, double evalueThreshold)
        : this([query], databaseResidues, databaseSequences, evalueThreshold)
    {
    }

    public QuerySearch(IReadOnlyList<byte[]> queries, long databaseResidues, int databaseSequences, double evalueThreshold)
    {
        _evalueThreshold = evalueThreshold;
        _databaseResidues = databaseResidues;
        double ln2 = Math.Log(2);
        _ungappedXDrop = (int)Math.Ceiling(UngappedXDropBits * ln2 / SearchStatistics.UngappedLambda);
        int gapTrigger = (int)((GapTriggerBits * ln2 + Math.Log(SearchStatistics.UngappedK)) / SearchStatistics.UngappedLambda);
        _preliminaryXDrop = (int)(PreliminaryXDropBits * ln2 / SearchStatistics.GappedLambda);
        _finalXDrop = Math.Max((int)(FinalXDropBits * ln2 / SearchStatistics.GappedLambda), _preliminaryXDrop);

        int total = queries.Sum(q => q.Length + 1);
        var concatenated = new byte[total];
        _contextOf = new int[total];
        _contexts = new Context[queries.Count];
        int at = 0;
        for (int c = 0; c < queries.Count; c++)
        {
            var query = queries[c];
            double searchSpace = SearchStatistics.SearchSpace(query.Length, databaseResidues, databaseSequences);
            int averageSubject = (int)Math.Max(1, databaseResidues / Math.Max(1, databaseSequences));
            int gappedCutoff = Math.Min(SearchStatistics.CutoffScore(evalueThreshold, searchSpace),
                SearchStatistics.SpougeCutoffScore(evalueThreshold, query.Length, averageSubject, databaseResidues));
            _contexts[c] = new Context
            {
                Residues = query,
                Reversed = [.. query.Reverse(), 0],
                Start = at,
                GappedCutoff = gappedCutoff,
                UngappedCutoff = Math.Min(gapTrigger, gappedCutoff),
            };
            query.CopyTo(concatenated, at);
            Array.Fill(_contextOf, c, at, query.Length + 1);
            concatenated[at + query.Length] = ProteinAlphabet.X;
            at += query.Length + 1;
        }
        _lookup = new WordLookup(concatenated, queries.Select((q, c) => (_contexts[c].Start, q.Length)).ToArray());
        _concatenated = concatenated;
        int length = 1;
        while (length < total + TwoHitWindow) length <<= 1;
        _diagonals = new int[length];
        int mostHits = 0;
        for (int w = 0; w < WordLookup.WordCount; w++) mostHits = Math.Max(mostHits, _lookup.Starts[w + 1] - _lookup.Starts[w]);
        _pending = new int[2 * mostHits];
        _diagonalMask = length - 1;
    }

    /// <summary>Searches one subject and appends, for every query of the batch, its HSPs with
    /// E-value within the threshold, best first, to <paramref name="results"/> (Hsp.Query says which).</summary>
    public void SearchSubject(ReadOnlySpan<byte> subject, int subjectOid, List<Hsp> results)
    {
        _ungappedCount = 0;
        FindUngapped(subject);
        AdvanceDiagonals(subject.Length);
        if (_ungappedCount == 0) return;
        _ungapped.AsSpan(0, _ungappedCount).Sort(UngappedOrder);
        PrepareSubject(subject);
        var all = _ungapped;
        int allCount = _ungappedCount;
        for (int first = 0; first < allCount;)
        {
            int context = all[first].Query;
            int end = first;
            while (end < allCount && all[end].Query == context) end++;
            SelectContext(context);
            GappedScores(subject, all.AsSpan(first, end - first));
            first = end;
            if (_gappedCount == 0) continue;
            Traceback(subject);
            for (int i = 0; i < _tracedCount; i++)
            {
                _traced[i].SubjectOid = subjectOid;
                _traced[i].Query = context;
                results.Add(_traced[i]);
            }
        }
    }

    private void SelectContext(int context)
    {
        var c = _contexts[context];
        _query = c.Residues;
        _queryReversed = c.Reversed;
        _gappedCutoff = c.GappedCutoff;
    }

    private void AdvanceDiagonals(int subjectLength)
    {
        _diagonalOffset += subjectLength + TwoHitWindow;
        if (_diagonalOffset > (1 << 30))
        {
            Array.Clear(_diagonals);
            _diagonalOffset = TwoHitWindow;
        }
    }

    /// <summary>Scans the subject for word hits and applies the two-hit method on each diagonal.
    /// This loop runs for every letter of the database, so it keeps to a few registers: the rare
    /// second hits are noted and extended by <see cref="SecondHits"/> after their letter's hits,
    /// out of line. Never inlined: once the caller reaches tier 1 it would inline this loop and
    /// spill its registers to the stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private unsafe void FindUngapped(ReadOnlySpan<byte> subject)
    {
        if (subject.Length < WordLookup.WordSize) return;
        int mask = _diagonalMask, diagonalOffset = _diagonalOffset, length = subject.Length;
        fixed (int* starts = _lookup.Starts, offsets = _lookup.Offsets, diagonals = _diagonals, pending = _pending)
        fixed (byte* subjectLetters = subject)
        {
            int word = (subjectLetters[0] << 5) | subjectLetters[1];
            for (int s = 0; s + WordLookup.WordSize <= length; s++)
            {
                word = ((word << 5) | subjectLetters[s + 2]) & WordLookup.WordMask;
                int here = s + diagonalOffset;
                int found = 0;
                if (Sse.IsSupported && s + PrefetchDistance + WordLookup.WordSize <= length)
                {
                    // The tables do not fit L1 and the words come in random order: fetch the start
                    // of the word PrefetchDistance letters ahead, and the offsets of the word half
                    // as far (whose start was fetched as many letters ago), early.
                    byte* ahead = subjectLetters + s + PrefetchDistance;
                    Sse.Prefetch0(starts + WordLookup.Pack(ahead[0], ahead[1], ahead[2]));
                    ahead -= PrefetchDistance / 2;
                    Sse.Prefetch0(offsets + starts[WordLookup.Pack(ahead[0], ahead[1], ahead[2])]);
                }
                for (int k = starts[word], end = starts[word + 1]; k < end; k++)
                {
                    int q = offsets[k];
                    int* entry = diagonals + ((q - s) & mask);
                    int last = *entry;
                    // Which case a hit is, is data, so all but the rare second hit are decided
                    // without a branch: a hit inside an earlier extension (flagged entry) or
                    // overlapping the last hit (closer than a word) leaves the entry as it is;
                    // any other hit becomes the diagonal's last hit.
                    int distance = here - last;
                    if ((uint)(distance - WordLookup.WordSize) < TwoHitWindow - WordLookup.WordSize)
                    {
                        pending[2 * found] = q;
                        pending[2 * found + 1] = last;
                        found++;
                        continue;
                    }
                    int flagged = last >> 31;                                       // -1 if extended
                    int inside = (here - (last & int.MaxValue)) >> 31;              // -1 if before its end
                    int overlapping = (distance - WordLookup.WordSize) >> 31;       // -1 if too close
                    int keep = (flagged & inside) | (~flagged & overlapping);
                    *entry = (last & keep) | (here & ~keep);
                }
                if (found != 0) SecondHits(subjectLetters, length, s, found);
            }
        }
    }

    /// <summary>Extends the second hits that <see cref="FindUngapped"/> found at letter
    /// <paramref name="s"/>, and sets their diagonals' entries. Deferring them to the end of their
    /// letter changes nothing (the hits of one letter lie on different diagonals), and keeps the
    /// call out of the loop over hits, whose values the JIT then keeps in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private unsafe void SecondHits(byte* subject, int length, int s, int count)
    {
        int diagonalOffset = _diagonalOffset;
        for (int i = 0; i < count; i++)
        {
            int q = _pending[2 * i], last = _pending[2 * i + 1];
            _diagonals[(q - s) & _diagonalMask] = SecondHit(subject, length, last - diagonalOffset, s, q, diagonalOffset);
        }
    }

    /// <summary>A second hit within the window on a diagonal: extends it, keeps the HSP if it scores
    /// enough, and returns the diagonal's new entry (where the extension reached, flagged, or this hit).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private unsafe int SecondHit(byte* subject, int length, int firstHit, int s, int q, int diagonalOffset)
    {
        int c = _contextOf[q];
        var context = _contexts[c];
        int score = ExtendTwoHit(subject, length, firstHit + WordLookup.WordSize, s, q, context.Start, context.Start + context.Residues.Length,
            out int hspQ, out int hspS, out int hspLength, out bool rightExtended, out int subjectLastOffset);
        if (score >= context.UngappedCutoff)
            SaveUngapped(c, hspQ - context.Start, hspS, hspLength, score, q - context.Start, s);
        return rightExtended
            ? (subjectLastOffset - (WordLookup.WordSize - 1) + diagonalOffset) | int.MinValue
            : s + diagonalOffset;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SaveUngapped(int context, int q, int s, int length, int score, int seedQ, int seedS)
    {
        ref var h = ref Hsp.Append(ref _ungapped, ref _ungappedCount);
        h = default;
        h.Set(score, q, q + length, s, s + length, seedQ, seedS);
        h.Query = context;
    }

    /// <summary>The two-hit extension: from the second hit, extend left; only if that reaches the
    /// first hit, extend right too (aa_ungapped.c's logic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int ExtendTwoHit(byte* subject, int subjectLength, int subjectLeft, int subjectRight, int queryRight, int queryFirst, int queryEnd,
        out int hspQ, out int hspS, out int hspLength, out bool rightExtended, out int subjectLastOffset)
    {
        int xDrop = _ungappedXDrop;
        fixed (int* matrix = Blosum62.Scores)
        fixed (byte* query = _concatenated)
        {
            int leftScore = 0, rightScore = 0, rightD = 0, score = 0;
            for (int i = 0; i < WordLookup.WordSize; i++)
            {
                score += matrix[query[queryRight + i] * Blosum62.Stride + subject[subjectRight + i]];
                if (score > leftScore) { leftScore = score; rightD = i + 1; }
            }
            queryRight += rightD;
            subjectRight += rightD;
            rightD = 0;
            rightExtended = false;
            subjectLastOffset = subjectRight;

            // Extend left from just before the (shifted) second hit.
            int leftD;
            {
                int sOff = subjectRight - 1, qOff = queryRight - 1;
                int n = Math.Min(sOff, qOff - queryFirst);
                int best = n + 1, max = 0, running = 0;
                byte* p = query + (qOff - n);
                byte* t = subject + (sOff - n);
                for (int i = n; i >= 0; i--)
                {
                    running += matrix[p[i] * Blosum62.Stride + t[i]];
                    if (running > max) { max = running; best = i; }
                    if (max - running >= xDrop) break;
                }
                leftD = n - best + 1;
                leftScore = max;
            }
            if (leftD >= subjectRight - subjectLeft)
            {
                rightExtended = true;
                int n = Math.Min(subjectLength - subjectRight, queryEnd - queryRight);
                int best = -1, max = leftScore, running = leftScore, i;
                byte* p = query + queryRight;
                byte* t = subject + subjectRight;
                for (i = 0; i < n; i++)
                {
                    running += matrix[p[i] * Blosum62.Stride + t[i]];
                    if (running > max) { max = running; best = i; }
                    if (running <= 0 || max - running >= xDrop) break;
                }
                rightD = best + 1;
                subjectLastOffset = subjectRight + i;
                rightScore = max;
            }
            hspQ = queryRight - leftD;
            hspS = subjectRight - leftD;
            hspLength = leftD + rightD;
            return Math.Max(leftScore, rightScore);
        }
    }

    /// <summary>Copies the subject forwards and backwards with one spare letter, as the gapped
    /// extension reads one letter past the end.</summary>
    private void PrepareSubject(ReadOnlySpan<byte> subject)
    {
        if (_subjectForward.Length < subject.Length + 1)
        {
            _subjectForward = new byte[subject.Length * 2 + 1];
            _subjectReversed = new byte[subject.Length * 2 + 1];
        }
        subject.CopyTo(_subjectForward);
        _subjectForward[subject.Length] = 0;
        for (int i = 0; i < subject.Length; i++) _subjectReversed[i] = subject[subject.Length - 1 - i];
        _subjectReversed[subject.Length] = 0;
    }

    /// <summary>The preliminary gapped stage: score-only extensions of the ungapped HSPs, best
    /// first, skipping those inside an HSP already found (BLAST_GetGappedScore). When even the best
    /// ungapped HSP is weak, the extensions are restricted ones, as blastp's: a score below
    /// <see cref="RestrictedFraction"/> of the cutoff cannot reach it with free gaps either (in
    /// practice), one at or above the cutoff passes anyway, and one in between makes the stage
    /// start again with full extensions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GappedScores(ReadOnlySpan<byte> subject, Span<Hsp> ungapped)
    {
        int restrictedCutoff = (int)(RestrictedFraction * _gappedCutoff);
        var extension = ungapped[0].Score < restrictedCutoff ? Extension.Restricted : Extension.ScoreOnly;
        _gappedCount = 0;
        for (int i = 0; i < ungapped.Length; i++)
        {
            ref var u = ref ungapped[i];
            bool contained = false;
            for (int j = 0; j < _gappedCount; j++)
            {
                ref var g = ref _gapped[j];
                if (g.QueryStart <= u.SeedQuery && g.QueryEnd >= u.SeedQuery
                    && Inside(g, u.QueryStart, u.SubjectStart) && Inside(g, u.QueryEnd, u.SubjectEnd)
                    && u.Score <= g.Score)
                {
                    contained = true;
                    break;
                }
            }
            if (contained) continue;
            int seedQ = GappedStart(subject, u.QueryStart, u.SubjectStart, u.QueryEnd - u.QueryStart);
            int seedS = seedQ + (u.SubjectStart - u.QueryStart);
            int score = Extend(subject.Length, seedQ, seedS, _preliminaryXDrop, extension, out int qs, out int qe, out int ss, out int se, out _);
            if (extension == Extension.Restricted && score < _gappedCutoff && score >= restrictedCutoff)
            {
                extension = Extension.ScoreOnly;
                _gappedCount = 0;
                i = -1;
                continue;
            }
            if (score < _gappedCutoff) continue;
            // The cutoff assumed an average subject; as blastp's preliminary stage does, drop what is
            // above the E-value threshold for this subject's length before the traceback.
            if (SearchStatistics.EValue(score, _query.Length, subject.Length, _databaseResidues) > _evalueThreshold) continue;
            ref var h = ref Hsp.Append(ref _gapped, ref _gappedCount);
            h = default;
            h.Set(score, qs, qe, ss, se, seedQ, seedS);
        }
        _gappedCount = RemoveCommonEndpoints(_gapped, _gappedCount);
        _gapped.AsSpan(0, _gappedCount).Sort(ScoreOrder);
    }

    private static bool Inside(in Hsp h, int q, int s) =>
        h.QueryStart <= q && h.QueryEnd >= q && h.SubjectStart <= s && h.SubjectEnd >= s;

    /// <summary>The traceback stage: each preliminary HSP not inside a better one already traced is
    /// extended again from its seed with the final X-drop, and its columns are counted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Traceback(ReadOnlySpan<byte> subject)
    {
        _tracedCount = 0;
        for (int i = 0; i < _gappedCount; i++)
        {
            ref var p = ref _gapped[i];
            bool contained = false;
            for (int j = 0; j < _tracedCount; j++)
            {
                ref var t = ref _traced[j];
                if (t.Score >= p.Score && Inside(t, p.QueryStart, p.SubjectStart) && Inside(t, p.QueryEnd, p.SubjectEnd))
                {
                    contained = true;
                    break;
                }
            }
            if (contained) continue;
            int score = Extend(subject.Length, p.SeedQuery, p.SeedSubject, _finalXDrop, Extension.Traceback, out int qs, out int qe, out int ss, out int se, out var columns);
            if (score < _gappedCutoff) continue;
            ref var h = ref Hsp.Append(ref _traced, ref _tracedCount);
            h = p;
            h.Set(score, qs, qe, ss, se, p.SeedQuery, p.SeedSubject);
            h.Columns = columns;
            h.EValue = SearchStatistics.EValue(score, _query.Length, subject.Length, _databaseResidues);
        }
        _tracedCount = RemoveCommonEndpoints(_traced, _tracedCount);
        int kept = 0;
        for (int i = 0; i < _tracedCount; i++)
            if (_traced[i].EValue <= _evalueThreshold) _traced[kept++] = _traced[i];
        _tracedCount = kept;
        _traced.AsSpan(0, _tracedCount).Sort(ScoreOrder);
    }

    /// <summary>Which pass of the gapped stage an extension serves: the preliminary score, free or
    /// restricted, or the traceback.</summary>
    private enum Extension { ScoreOnly, Restricted, Traceback }

    /// <summary>A gapped extension in both directions from the seed pair (included on the left).</summary>
    private int Extend(int subjectLength, int seedQ, int seedS, int xDrop, Extension extension,
        out int queryStart, out int queryEnd, out int subjectStart, out int subjectEnd, out AlignmentColumns columns)
    {
        columns = default;
        int queryLength = _query.Length;
        // Left: the seed pair and everything before it, read backwards.
        int leftQ = seedQ + 1, leftS = seedS + 1;
        var aLeft = _queryReversed.AsSpan(queryLength - leftQ, leftQ);
        var bLeft = _subjectReversed.AsSpan(subjectLength - leftS, leftS + 1);
        int aUsed, bUsed;
        int left = extension switch
        {
            Extension.Traceback => _aligner.WithTraceback(aLeft, bLeft, leftS, xDrop, out aUsed, out bUsed, ref columns),
            Extension.Restricted => _aligner.RestrictedScoreOnly(aLeft, bLeft, leftS, xDrop, out aUsed, out bUsed),
            _ => _aligner.ScoreOnly(aLeft, bLeft, leftS, xDrop, out aUsed, out bUsed),
        };
        queryStart = leftQ - aUsed;
        subjectStart = leftS - bUsed;
        int right = 0;
        queryEnd = seedQ + 1;
        subjectEnd = seedS + 1;
        if (leftQ < queryLength && leftS < subjectLength)
        {
            var aRight = _query.AsSpan(leftQ);
            var bRight = _subjectForward.AsSpan(leftS, subjectLength - leftS + 1);
            right = extension switch
            {
                Extension.Traceback => _aligner.WithTraceback(aRight, bRight, subjectLength - leftS, xDrop, out aUsed, out bUsed, ref columns),
                Extension.Restricted => _aligner.RestrictedScoreOnly(aRight, bRight, subjectLength - leftS, xDrop, out aUsed, out bUsed),
                _ => _aligner.ScoreOnly(aRight, bRight, subjectLength - leftS, xDrop, out aUsed, out bUsed),
            };
            queryEnd = leftQ + aUsed;
            subjectEnd = leftS + bUsed;
        }
        return left + right;
    }

    /// <summary>Where in an ungapped HSP the gapped extension starts: the middle of its best window
    /// of 11 letters (BlastGetStartForGappedAlignment).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int GappedStart(ReadOnlySpan<byte> subject, int qStart, int sStart, int length)
    {
        if (length <= WindowForGappedStart) return qStart + length / 2;
        var matrix = Blosum62.Scores;
        var query = _query;
        int score = 0;
        for (int i = 0; i < WindowForGappedStart; i++)
            score += matrix[query[qStart + i] * Blosum62.Stride + subject[sStart + i]];
        int maxScore = score, maxOffset = qStart + WindowForGappedStart - 1;
        for (int i = WindowForGappedStart; i < length; i++)
        {
            score -= matrix[query[qStart + i - WindowForGappedStart] * Blosum62.Stride + subject[sStart + i - WindowForGappedStart]];
            score += matrix[query[qStart + i] * Blosum62.Stride + subject[sStart + i]];
            if (score > maxScore) { maxScore = score; maxOffset = qStart + i; }
        }
        return maxScore > 0 ? maxOffset - WindowForGappedStart / 2 : qStart;
    }

    /// <summary>Removes HSPs that share a start, or an end, with a better one
    /// (Blast_CheckHSPsForCommonEndpoints); returns the new count.</summary>
    private int RemoveCommonEndpoints(Hsp[] hsps, int count)
    {
        if (count < 2) return count;
        if (_removed.Length < count) _removed = new bool[count * 2];
        var removed = _removed;
        Array.Clear(removed, 0, count);
        RemoveShared(hsps, count, removed, byStart: true);
        RemoveShared(hsps, count, removed, byStart: false);
        int kept = 0;
        for (int i = 0; i < count; i++)
            if (!removed[i]) hsps[kept++] = hsps[i];
        return kept;
    }

    private static void RemoveShared(Hsp[] hsps, int count, bool[] removed, bool byStart)
    {
        for (int i = 0; i < count; i++)
        {
            if (removed[i]) continue;
            for (int j = i + 1; j < count; j++)
            {
                if (removed[j]) continue;
                bool same = byStart
                    ? hsps[i].QueryStart == hsps[j].QueryStart && hsps[i].SubjectStart == hsps[j].SubjectStart
                    : hsps[i].QueryEnd == hsps[j].QueryEnd && hsps[i].SubjectEnd == hsps[j].SubjectEnd;
                if (!same) continue;
                if (hsps[i].Score >= hsps[j].Score) removed[j] = true;
                else { removed[i] = true; break; }
            }
        }
    }

    // Sorting a span with a cached delegate allocates nothing (Array.Sort with an IComparer wraps it in a new delegate).
    private static readonly Comparison<Hsp> ScoreOrder = (x, y) => Hsp.CompareByScore(x, y);

    private static readonly Comparison<Hsp> UngappedOrder = (x, y) =>
    {
        int c = x.Query.CompareTo(y.Query);
        if (c == 0) c = y.Score.CompareTo(x.Score);
        if (c == 0) c = x.SubjectStart.CompareTo(y.SubjectStart);
        if (c == 0) c = x.QueryStart.CompareTo(y.QueryStart);
        return c;
    };
}
