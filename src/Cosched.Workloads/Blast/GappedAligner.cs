namespace Cosched.Workloads.Blast;

/// <summary>What a traceback tells about the alignment columns it walked.</summary>
public struct AlignmentColumns
{
    public int Length;
    public int Identities;
    public int Mismatches;
    public int GapOpens;
}

/// <summary>Semi-global X-drop dynamic programming with affine gaps, the extension of blastp's
/// gapped stage (NCBI's Blast_SemiGappedAlign and its traceback twin ALIGN_EX): it aligns a
/// prefix of A with a prefix of B, both starting at the seed, and stops a row when every cell has
/// fallen more than X below the best score. Buffers are kept between calls, so an extension
/// allocates nothing once they have grown.</summary>
public sealed class GappedAligner
{
    public const int GapOpen = 11;
    public const int GapExtend = 1;
    private const int GapOpenExtend = GapOpen + GapExtend;
    private const int MinScore = int.MinValue / 2;

    private const byte OpSubstitute = 0, OpGapInB = 1, OpGapInA = 2, OpMask = 3;
    private const byte ExtendsGapInB = 4, ExtendsGapInA = 8;

    private int[] _best = new int[256];
    private int[] _bestGap = new int[256];
    private byte[] _states = new byte[1 << 16];
    private int[] _rowBase = new int[256];

    /// <summary>Score of the best extension of A[0..] against B[0..] (the seed pair excluded unless
    /// the caller put it first); aUsed and bUsed are how many letters of each it covers. B needs one
    /// readable letter past bLength (any value).</summary>
    public int ScoreOnly(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bLength, int xDrop, out int aUsed, out int bUsed)
        => Align(a, b, bLength, xDrop, traceback: false, out aUsed, out bUsed);

    /// <summary>As <see cref="ScoreOnly"/>, and also walks the alignment back to count its columns.</summary>
    public int WithTraceback(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bLength, int xDrop, out int aUsed, out int bUsed, ref AlignmentColumns columns)
    {
        int score = Align(a, b, bLength, xDrop, traceback: true, out aUsed, out bUsed);
        Walk(a, b, aUsed, bUsed, ref columns);
        return score;
    }

    private unsafe int Align(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, bool traceback, out int aUsed, out int bUsed)
    {
        int m = a.Length;
        if (_best.Length < n + 2)
        {
            int size = Math.Max(n + 2, _best.Length * 2);
            _best = new int[size];
            _bestGap = new int[size];
        }
        if (traceback && _rowBase.Length < m + 1) _rowBase = new int[Math.Max(m + 1, _rowBase.Length * 2)];
        int used = 0;
        int bestScore = 0, bestA = 0, bestB = 0, firstB = 0, bSize = 1;
        fixed (int* best = _best, bestGap = _bestGap, matrix = Blosum62.Scores)
        fixed (byte* ap = a, bp = b)
        {
            // Row 0: B against nothing of A, one gap growing until it falls X below zero.
            best[0] = 0;
            bestGap[0] = -GapOpenExtend;
            int score = -GapOpenExtend;
            while (bSize <= n && score >= -xDrop)
            {
                best[bSize] = score;
                bestGap[bSize] = score - GapOpenExtend;
                score -= GapExtend;
                bSize++;
            }
            if (traceback)
            {
                EnsureStates(bSize);
                _rowBase[0] = 0;
                _states[0] = OpSubstitute;
                // Cells (0, j >= 1) are reached by the row gap, and the gap leaving them extends it.
                for (int j = 1; j < bSize; j++) _states[j] = OpGapInA | ExtendsGapInA;
                used = bSize;
            }

            for (int ai = 1; ai <= m; ai++)
            {
                int* row = matrix + ap[ai - 1] * Blosum62.Stride;
                score = MinScore;
                int scoreGapRow = MinScore;
                int lastB = firstB;
                if (!traceback)
                {
                    for (int bi = firstB; bi < bSize; bi++)
                    {
                        int scoreGapCol = bestGap[bi];
                        int nextScore = best[bi] + row[bp[bi]];
                        if (score < scoreGapCol) score = scoreGapCol;
                        if (score < scoreGapRow) score = scoreGapRow;
                        if (bestScore - score > xDrop)
                        {
                            // This cell fell too far: the live band shrinks from the left, or the cell is dead.
                            if (firstB == bi) firstB++;
                            else best[bi] = MinScore;
                        }
                        else
                        {
                            lastB = bi;
                            if (score > bestScore) { bestScore = score; bestA = ai; bestB = bi; }
                            scoreGapRow -= GapExtend;
                            scoreGapCol -= GapExtend;
                            int open = score - GapOpenExtend;
                            bestGap[bi] = scoreGapCol > open ? scoreGapCol : open;
                            if (scoreGapRow < open) scoreGapRow = open;
                            best[bi] = score;
                        }
                        score = nextScore;
                    }
                }
                else
                {
                    EnsureStates(used + bSize - firstB + 1);
                    int stateBase = used - firstB;
                    _rowBase[ai] = stateBase;
                    used += bSize - firstB;
                    fixed (byte* states = _states)
                    {
                        for (int bi = firstB; bi < bSize; bi++)
                        {
                            int scoreGapCol = bestGap[bi];
                            int nextScore = best[bi] + row[bp[bi]];
                            byte state = OpSubstitute;
                            if (score < scoreGapCol) { score = scoreGapCol; state = OpGapInB; }
                            if (score < scoreGapRow) { score = scoreGapRow; state = OpGapInA; }
                            if (bestScore - score > xDrop)
                            {
                                if (firstB == bi) firstB++;
                                else best[bi] = MinScore;
                            }
                            else
                            {
                                lastB = bi;
                                if (score > bestScore) { bestScore = score; bestA = ai; bestB = bi; }
                                scoreGapRow -= GapExtend;
                                scoreGapCol -= GapExtend;
                                if (scoreGapCol < score - GapOpenExtend) bestGap[bi] = score - GapOpenExtend;
                                else { bestGap[bi] = scoreGapCol; state |= ExtendsGapInB; }
                                if (scoreGapRow < score - GapOpenExtend) scoreGapRow = score - GapOpenExtend;
                                else state |= ExtendsGapInA;
                                best[bi] = score;
                            }
                            states[stateBase + bi] = state;
                            score = nextScore;
                        }
                    }
                }
                if (firstB == bSize) break;
                if (lastB < bSize - 1)
                {
                    bSize = lastB + 1;
                }
                else
                {
                    // The row is alive to its end: let the row gap run on while it stays within X.
                    while (scoreGapRow >= bestScore - xDrop && bSize <= n)
                    {
                        best[bSize] = scoreGapRow;
                        bestGap[bSize] = scoreGapRow - GapOpenExtend;
                        if (traceback)
                        {
                            EnsureStates(used + 1);
                            _states[used++] = OpGapInA | ExtendsGapInA;
                        }
                        scoreGapRow -= GapExtend;
                        bSize++;
                    }
                }
                if (bSize <= n)
                {
                    best[bSize] = MinScore;
                    bestGap[bSize] = MinScore;
                    if (traceback)
                    {
                        EnsureStates(used + 1);
                        _states[used++] = OpSubstitute;
                    }
                    bSize++;
                }
            }
        }
        aUsed = bestA;
        bUsed = bestB;
        return bestScore;
    }

    private void EnsureStates(int size)
    {
        if (_states.Length < size) Array.Resize(ref _states, Math.Max(size, _states.Length * 2));
    }

    /// <summary>Walks from the best cell back to the origin, as ALIGN_EX's traceback does.</summary>
    private void Walk(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int ai, int bi, ref AlignmentColumns columns)
    {
        byte op = OpSubstitute;
        byte previous = 255;
        while (ai > 0 || bi > 0)
        {
            byte state = _states[_rowBase[ai] + bi];
            op = op switch
            {
                OpGapInA => (state & ExtendsGapInA) != 0 ? OpGapInA : (byte)(state & OpMask),
                OpGapInB => (state & ExtendsGapInB) != 0 ? OpGapInB : (byte)(state & OpMask),
                _ => (byte)(state & OpMask),
            };
            columns.Length++;
            if (op == OpGapInA)
            {
                bi--;
                if (previous != OpGapInA) columns.GapOpens++;
            }
            else if (op == OpGapInB)
            {
                ai--;
                if (previous != OpGapInB) columns.GapOpens++;
            }
            else
            {
                ai--;
                bi--;
                if (a[ai] == b[bi]) columns.Identities++;
                else columns.Mismatches++;
            }
            previous = op;
        }
    }
}
