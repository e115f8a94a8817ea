using System.Runtime.CompilerServices;

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
/// allocates nothing once they have grown. The score-only extension comes in two variants compiled
/// from one source: free gaps, and blastp's restricted gaps (Cameron, Williams and Cannane,
/// "Improved gapped alignment in BLAST", IEEE/ACM TCBB 2004; NCBI's s_RestrictedGappedAlign), where
/// a gap may open only in rows and columns a multiple of <see cref="RestrictSize"/> away from the
/// seed, so that most cells need only an ungapped step; its score is a lower bound of the free one.
/// Where the CPU has AVX2, the free-gap extensions run eight cells at a time (<see cref="AvxGappedAligner"/>);
/// the scalar loops here give the same results (the tests compare them) and serve other CPUs.</summary>
public sealed class GappedAligner
{
    public const int GapOpen = 11;
    public const int GapExtend = 1;
    private const int GapOpenExtend = GapOpen + GapExtend;
    private const int MinScore = int.MinValue / 2;

    // A cell's state: the move that reached it, and whether the gaps leaving it extend the ones that reached it.
    internal const byte OpSubstitute = 0, OpGapInB = 1, OpGapInA = 2, OpMask = 3;
    internal const byte ExtendsGapInB = 4, ExtendsGapInA = 8;

    public const int RestrictSize = 10;

    /// <summary>One column of the band: the best score of a path ending in the column's cell of
    /// the current row, and of one ending there in a gap that consumes A (NCBI's BlastGapDP).</summary>
    private struct Cell
    {
        public int Best, Gap;
    }

    // Kept together, so the inner loops need one pointer for both.
    private Cell[] _cells = new Cell[256];
    // The free-gap extensions (score-only, and with states), eight cells at a time, where the CPU has AVX2.
    private readonly AvxGappedAligner? _vectors;
    private byte[] _states = new byte[1 << 16];
    private int[] _rowBase = new int[256];

    public GappedAligner() : this(AvxGappedAligner.IsSupported)
    {
    }

    /// <summary>With <paramref name="vectors"/> false, the free-gap extensions run the scalar
    /// loops even where the vector ones could (the tests compare the two).</summary>
    internal GappedAligner(bool vectors)
    {
        if (vectors) _vectors = new AvxGappedAligner();
    }

    /// <summary>Score of the best extension of A[0..] against B[0..] (the seed pair excluded unless
    /// the caller put it first); aUsed and bUsed are how many letters of each it covers. B needs one
    /// readable letter past bLength (any value).</summary>
    public int ScoreOnly(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bLength, int xDrop, out int aUsed, out int bUsed)
        => _vectors != null
            ? _vectors.Score(a, b, bLength, xDrop, out aUsed, out bUsed)
            : Score<FreeGaps>(a, b, bLength, xDrop, out aUsed, out bUsed);

    /// <summary>As <see cref="ScoreOnly"/>, with gaps opening only every <see cref="RestrictSize"/> rows and columns.</summary>
    public int RestrictedScoreOnly(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bLength, int xDrop, out int aUsed, out int bUsed)
        => Score<RestrictedGaps>(a, b, bLength, xDrop, out aUsed, out bUsed);

    /// <summary>As <see cref="ScoreOnly"/>, and also walks the alignment back to count its columns.</summary>
    public int WithTraceback(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int bLength, int xDrop, out int aUsed, out int bUsed, ref AlignmentColumns columns)
    {
        // The rows after the best cell's do not change the rows up to it, but the extension runs
        // on through them until every cell has fallen X below the best, often for as many rows
        // again. With the vector code, the score-only extension (the same recurrence and band)
        // finds the best cell first, and the extension with states stops at its row.
        int score;
        if (_vectors != null)
        {
            _vectors.Score(a, b, bLength, xDrop, out int lastRow, out _);
            a = a[..lastRow];
            score = _vectors.AlignWithStates(a, b, bLength, xDrop, ref _states, ref _rowBase, out aUsed, out bUsed);
        }
        else
        {
            score = AlignWithStates(a, b, bLength, xDrop, out aUsed, out bUsed);
        }
        Walk(a, b, aUsed, bUsed, ref columns);
        return score;
    }

    /// <summary>Where gaps may open; a struct type argument, so the compiler makes one specialised
    /// copy of <see cref="Score{TGaps}"/> per rule with the rule's tests folded away.</summary>
    private interface IGapRule
    {
        static abstract bool Restricted { get; }
    }

    private struct FreeGaps : IGapRule
    {
        public static bool Restricted => false;
    }

    private struct RestrictedGaps : IGapRule
    {
        public static bool Restricted => true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int Score<TGaps>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, out int aUsed, out int bUsed)
        where TGaps : struct, IGapRule
    {
        int m = a.Length;
        EnsureColumns(n);
        var best = new Best { Score = 0, Floor = -xDrop, XDrop = xDrop };
        int bestA = 0, bestB = 0, firstB = 0;
        int gapColumn = 0; // with restricted gaps, the next column of this row where a gap in B may open
        fixed (Cell* cells = _cells)
        fixed (int* matrix = Blosum62.Scores)
        fixed (byte* ap = a, bp = b)
        {
            int bSize = FirstRow(cells, n, xDrop);
            for (int ai = 1; ai <= m; ai++)
            {
                bool rowGaps = !TGaps.Restricted || ai % RestrictSize == 0;
                best.Cell = null;
                int scoreGapRow = ScoreRow<TGaps>(cells, firstB, bSize, bp, matrix + ap[ai - 1] * Blosum62.Stride, rowGaps, gapColumn, ref best);
                if (best.Cell != null) { bestA = ai; bestB = (int)(best.Cell - cells); }
                while (firstB < bSize && cells[firstB].Best == MinScore) firstB++;
                if (firstB == bSize) break;
                int lastB = bSize - 1;
                while (cells[lastB].Best == MinScore) lastB--;
                if (TGaps.Restricted) gapColumn = (firstB + RestrictSize - 1) / RestrictSize * RestrictSize;
                bSize = NextBand(cells, n, xDrop, bSize, lastB, scoreGapRow, best.Score);
            }
        }
        aUsed = bestA;
        bUsed = bestB;
        return best.Score;
    }

    /// <summary>The best cell so far, and the floor below which a cell is dead (Score - XDrop);
    /// Cell is set when a row finds a new best.</summary>
    private unsafe struct Best
    {
        public int Score, Floor, XDrop;
        public Cell* Cell;
    }

    /// <summary>One row of the score-only extension over the band [firstB, bSize); returns the row
    /// gap at its end (after a row where no gap may open in A, as NCBI's code does: the score just
    /// past the band's end, by which the band may still grow). A method of its own, never inlined,
    /// so that the JIT gives this loop all the registers (inside the row loop of its caller it kept
    /// the floor and the row gap in memory).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe int ScoreRow<TGaps>(Cell* cells, int firstB, int bSize, byte* bp, int* row, bool gapsInRow, int gapColumn, ref Best best)
        where TGaps : struct, IGapRule
    {
        bool rowGaps = !TGaps.Restricted || gapsInRow; // a constant with free gaps
        int bestScore = best.Score, floor = best.Floor;
        Cell* bestCell = null;
        int score = MinScore;
        int scoreGapRow = MinScore;
        // The loop tracks no band edges: with fewer live values the JIT keeps them all in
        // registers. Dead cells are marked and the live band found after the row.
        byte* bl = bp + firstB;
        for (Cell* c = cells + firstB, end = cells + bSize; c < end; c++, bl++)
        {
            int scoreGapCol = c->Gap;
            int nextScore = c->Best + row[*bl];
            bool columnGap = !TGaps.Restricted || c - cells == gapColumn;
            if (TGaps.Restricted && columnGap) gapColumn += RestrictSize;
            if (columnGap) score = Max(score, scoreGapCol);
            int cell = rowGaps ? Max(score, scoreGapRow) : score;
            if (cell < floor)
            {
                // This cell fell more than X below the best: it is dead (its gap stays as it was, as in NCBI's code).
                c->Best = MinScore;
            }
            else
            {
                if (cell > bestScore) { bestScore = cell; floor = cell - best.XDrop; bestCell = c; }
                if (columnGap) c->Gap = Max(scoreGapCol - GapExtend, cell - GapOpenExtend);
                // The row gap is the only value carried from cell to cell, so its update must not
                // wait for the cell's score: max(gap - extend, max(score, gap) - open) is
                // max(gap - extend, score - open), since opening costs more than extending.
                if (rowGaps) scoreGapRow = Max(scoreGapRow - GapExtend, score - GapOpenExtend);
                c->Best = cell;
            }
            score = nextScore;
        }
        if (bestCell != null)
        {
            best.Score = bestScore;
            best.Floor = floor;
            best.Cell = bestCell;
        }
        return rowGaps ? scoreGapRow : score;
    }

    /// <summary>The larger of two scores without a branch: the JIT does not turn branches inside
    /// loops into conditional moves, and which term of the recurrence wins is data, not a pattern.
    /// Scores stay far from overflow (MinScore is int.MinValue / 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Max(int a, int b)
    {
        int difference = a - b;
        return a - (difference & (difference >> 31));
    }

    /// <summary>Row 0: B against nothing of A, one gap growing until it falls X below zero; returns the band's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int FirstRow(Cell* cells, int n, int xDrop)
    {
        cells[0].Best = 0;
        cells[0].Gap = -GapOpenExtend;
        int score = -GapOpenExtend, bSize = 1;
        while (bSize <= n && score >= -xDrop)
        {
            cells[bSize].Best = score;
            cells[bSize].Gap = score - GapOpenExtend;
            score -= GapExtend;
            bSize++;
        }
        return bSize;
    }

    /// <summary>The band of the next row: it ends after the last live cell, or, if the row was alive
    /// to its end, the row gap runs on while it stays within X; then one dead cell closes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int NextBand(Cell* cells, int n, int xDrop, int bSize, int lastB, int scoreGapRow, int bestScore)
    {
        if (lastB < bSize - 1)
        {
            bSize = lastB + 1;
        }
        else
        {
            while (scoreGapRow >= bestScore - xDrop && bSize <= n)
            {
                cells[bSize].Best = scoreGapRow;
                cells[bSize].Gap = scoreGapRow - GapOpenExtend;
                scoreGapRow -= GapExtend;
                bSize++;
            }
        }
        if (bSize <= n)
        {
            cells[bSize].Best = MinScore;
            cells[bSize].Gap = MinScore;
            bSize++;
        }
        return bSize;
    }

    /// <summary>The free-gap extension again, recording for every cell which move reached it and
    /// whether the gaps leaving it extend one (ALIGN_EX), for <see cref="Walk"/>. Never inlined: a
    /// tier-1 caller would inline the loop and give its values fewer registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private unsafe int AlignWithStates(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, out int aUsed, out int bUsed)
    {
        int m = a.Length;
        EnsureColumns(n);
        if (_rowBase.Length < m + 1) _rowBase = new int[Math.Max(m + 1, _rowBase.Length * 2)];
        int bestScore = 0, bestA = 0, bestB = 0, firstB = 0, floor = -xDrop;
        fixed (Cell* cells = _cells)
        fixed (int* matrix = Blosum62.Scores)
        fixed (byte* ap = a, bp = b)
        {
            int bSize = FirstRow(cells, n, xDrop);
            EnsureStates(bSize);
            _rowBase[0] = 0;
            _states[0] = OpSubstitute;
            // Cells (0, j >= 1) are reached by the row gap, and the gap leaving them extends it.
            for (int j = 1; j < bSize; j++) _states[j] = OpGapInA | ExtendsGapInA;
            int used = bSize;

            for (int ai = 1; ai <= m; ai++)
            {
                int* row = matrix + ap[ai - 1] * Blosum62.Stride;
                int score = MinScore;
                int scoreGapRow = MinScore;
                EnsureStates(used + bSize - firstB + 1);
                int stateBase = used - firstB;
                _rowBase[ai] = stateBase;
                used += bSize - firstB;
                fixed (byte* states = _states)
                {
                    for (int bi = firstB; bi < bSize; bi++)
                    {
                        int scoreGapCol = cells[bi].Gap;
                        int nextScore = cells[bi].Best + row[bp[bi]];
                        // Branch-free, as in Score: a mask is -1 where the second term is larger
                        // (ties keep the first, as the comparisons of ALIGN_EX do).
                        int difference = score - scoreGapCol, larger = difference >> 31;
                        score -= difference & larger;
                        int state = larger & OpGapInB;
                        difference = score - scoreGapRow;
                        larger = difference >> 31;
                        score -= difference & larger;
                        state = (state & ~larger) | (larger & OpGapInA);
                        if (score < floor)
                        {
                            cells[bi].Best = MinScore;
                        }
                        else
                        {
                            if (score > bestScore) { bestScore = score; floor = score - xDrop; bestA = ai; bestB = bi; }
                            int open = score - GapOpenExtend;
                            // A gap leaving this cell extends the one that reached it unless opening one is better.
                            difference = scoreGapCol - GapExtend - open;
                            larger = difference >> 31;
                            cells[bi].Gap = open + (difference & ~larger);
                            state |= ~larger & ExtendsGapInB;
                            difference = scoreGapRow - GapExtend - open;
                            larger = difference >> 31;
                            scoreGapRow = open + (difference & ~larger);
                            state |= ~larger & ExtendsGapInA;
                            cells[bi].Best = score;
                        }
                        states[stateBase + bi] = (byte)state;
                        score = nextScore;
                    }
                }
                while (firstB < bSize && cells[firstB].Best == MinScore) firstB++;
                if (firstB == bSize) break;
                int lastB = bSize - 1;
                while (cells[lastB].Best == MinScore) lastB--;
                int newSize = NextBand(cells, n, xDrop, bSize, lastB, scoreGapRow, bestScore);
                // The cells the band grew by: row-gap cells, then the closing dead cell.
                EnsureStates(used + Math.Max(0, newSize - bSize));
                for (int j = bSize; j < newSize; j++)
                    _states[used++] = cells[j].Best == MinScore ? OpSubstitute : (byte)(OpGapInA | ExtendsGapInA);
                bSize = newSize;
            }
        }
        aUsed = bestA;
        bUsed = bestB;
        return bestScore;
    }

    private void EnsureColumns(int n)
    {
        if (_cells.Length < n + 2) _cells = new Cell[Math.Max(n + 2, _cells.Length * 2)];
    }

    private void EnsureStates(int size)
    {
        if (_states.Length < size) Array.Resize(ref _states, Math.Max(size, _states.Length * 2));
    }

    /// <summary>Walks from the best cell back to the origin, as ALIGN_EX's traceback does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
