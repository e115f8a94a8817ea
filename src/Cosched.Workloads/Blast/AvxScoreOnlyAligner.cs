using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cosched.Workloads.Blast;

/// <summary>The free-gap score-only X-drop extension of <see cref="GappedAligner"/> (NCBI's
/// Blast_SemiGappedAlign), eight cells of a row at a time with AVX2; the same scores, extents and
/// bands as the scalar code, which the tests check. In a row the only value carried from cell to
/// cell is the row gap E, and E[j+1] = max(E[j] - extend, M[j] - open) where M[j] (the better of
/// the diagonal and the column gap) does not depend on E: so E over eight cells is a prefix
/// maximum, and so is the floor (the best score so far minus X) that decides which cells die.
/// One difference from the scalar loop does not show: after a dead cell the scalar loop keeps E as
/// it was, this one extends it by the rule; both are then below the floor, where E can neither
/// revive a cell nor be the best term of a live one, and both meet again at the next M - open
/// above the floor. The row's scores are written to a second buffer (the diagonal reads the row
/// before, one column to the left, so the rows cannot share one in place).</summary>
internal sealed class AvxScoreOnlyAligner
{
    private const int GapOpenExtend = GappedAligner.GapOpen + GappedAligner.GapExtend;
    private const int GapExtend = GappedAligner.GapExtend;
    private const int MinScore = int.MinValue / 2;
    private const int Lanes = 8;

    // Best scores of the row before and of this one, and the column gaps (updated in place). One
    // spare element in front, so that the diagonal of column 0 reads index -1.
    private int[] _previous = new int[258], _current = new int[258], _gaps = new int[258];

    /// <summary>BLOSUM62 as bytes, rows of <see cref="Blosum62.Stride"/>: a row's 32 scores fit
    /// two byte shuffles, which look up eight letters at once.</summary>
    private static readonly sbyte[] ByteScores = Array.ConvertAll(Blosum62.Scores, score => (sbyte)score);

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>As <see cref="GappedAligner.ScoreOnly"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe int Score(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, out int aUsed, out int bUsed)
    {
        int m = a.Length;
        // One spare in front, the band's closing cell after n, and the last group's lanes past it.
        if (_gaps.Length < n + 2 + Lanes)
        {
            int size = Math.Max(n + 2 + Lanes, _gaps.Length * 2);
            _previous = new int[size];
            _current = new int[size];
            _gaps = new int[size];
        }
        int bestScore = 0, bestA = 0, bestB = 0, firstB = 0;
        fixed (int* previousBase = _previous, currentBase = _current, gapBase = _gaps)
        fixed (sbyte* matrix = ByteScores)
        fixed (byte* ap = a, bp = b)
        {
            int* previous = previousBase + 1, current = currentBase + 1, gaps = gapBase + 1;
            // Row 0: B against nothing of A, one gap growing until it falls X below zero.
            previous[0] = 0;
            gaps[0] = -GapOpenExtend;
            int bSize = 1;
            for (int score = -GapOpenExtend; bSize <= n && score >= -xDrop; score -= GapExtend, bSize++)
            {
                previous[bSize] = score;
                gaps[bSize] = score - GapOpenExtend;
            }
            for (int ai = 1; ai <= m; ai++)
            {
                var row = new Row
                {
                    Previous = previous, Current = current, Gaps = gaps, B = bp,
                    Scores = matrix + ap[ai - 1] * Blosum62.Stride,
                    BestScore = bestScore, XDrop = xDrop, BestB = -1,
                };
                int scoreGapRow = ScoreRow(ref row, firstB, bSize);
                if (row.BestB >= 0) { bestScore = row.BestScore; bestA = ai; bestB = row.BestB; }
                while (firstB < bSize && current[firstB] == MinScore) firstB++;
                if (firstB == bSize) break;
                int lastB = bSize - 1;
                while (current[lastB] == MinScore) lastB--;
                // The band of the next row (GappedAligner.NextBand): it ends after the last live
                // cell, or, if the row was alive to its end, the row gap runs on while it stays
                // within X; then one dead cell closes it.
                if (lastB < bSize - 1)
                {
                    bSize = lastB + 1;
                }
                else
                {
                    for (; scoreGapRow >= bestScore - xDrop && bSize <= n; scoreGapRow -= GapExtend, bSize++)
                    {
                        current[bSize] = scoreGapRow;
                        gaps[bSize] = scoreGapRow - GapOpenExtend;
                    }
                }
                if (bSize <= n)
                {
                    current[bSize] = MinScore;
                    gaps[bSize] = MinScore;
                    bSize++;
                }
                int* finished = current;
                current = previous;
                previous = finished;
            }
        }
        aUsed = bestA;
        bUsed = bestB;
        return bestScore;
    }

    /// <summary>What one row works on, and the best cell it found (BestB stays -1 when none beat BestScore).</summary>
    private unsafe struct Row
    {
        public int* Previous, Current, Gaps;
        /// <summary>The row of BLOSUM62 (as bytes) for this row's letter of A.</summary>
        public sbyte* Scores;
        public byte* B;
        public int BestScore, XDrop, BestB;
    }

    /// <summary>One row over the band [firstB, bSize), eight cells at a time; the last group's
    /// lanes past the band count as dead (their stores land on cells the band does not reach,
    /// which the band's next growth writes before anything reads them). Returns the row gap after
    /// the band's last cell.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe int ScoreRow(ref Row row, int firstB, int bSize)
    {
        int* previous = row.Previous, current = row.Current, gaps = row.Gaps;
        byte* b = row.B;
        int bestScore = row.BestScore, xDrop = row.XDrop, bestB = -1;
        // The diagonal into the band's first cell comes from outside the band: none. (Written to
        // the row before, left of its band, where nothing reads it; 32 below MinScore, so that a
        // substitution score added to it stays below MinScore.)
        previous[firstB - 1] = MinScore - 32;
        var minus = Vector256.Create(MinScore);
        var steps = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * GapExtend;
        var open = Vector256.Create(GapOpenExtend);
        var extend = Vector256.Create(GapExtend);
        var rowGapIn = minus; // the row gap into the group's first cell, in every lane
        var floor = Vector256.Create(bestScore - xDrop);
        // The row's substitution scores as bytes, for a table lookup of eight letters at once.
        var scoresLow = Sse2.LoadVector128(row.Scores);
        var scoresHigh = Sse2.LoadVector128(row.Scores + 16);
        for (int j = firstB; j < bSize; j += Lanes)
        {
            int live = bSize - j;
            // The letters of B before the group's cells (b[-1] for the band's first cell, whose
            // diagonal is void anyway); past B's end, zeros.
            ulong letters;
            if (live >= Lanes)
            {
                letters = *(ulong*)(b + j - 1);
            }
            else
            {
                letters = 0;
                for (int k = 0; k < live; k++) letters |= (ulong)b[j - 1 + k] << (8 * k);
            }
            var columnGap = Avx.LoadVector256(gaps + j);
            var substitution = Substitutions(letters, scoresLow, scoresHigh);
            var diagonal = Avx2.Add(Avx.LoadVector256(previous + j - 1), substitution);
            var noRowGap = Avx2.Max(diagonal, columnGap);
            // E[j + i] = max(E[j], max over k < i of (M[j + k] - open + (k + 1) extend)) - i extend.
            var inclusive = PrefixMax(Avx2.Add(Avx2.Subtract(noRowGap, open), Avx2.Add(steps, extend)), minus);
            var rowGap = Avx2.Subtract(Avx2.Max(rowGapIn, ShiftUp(inclusive, minus)), steps);
            var cell = Avx2.Max(noRowGap, rowGap);
            if (live < Lanes)
            {
                var beyond = Avx2.CompareGreaterThan(steps, Vector256.Create((live - 1) * GapExtend));
                cell = Avx2.BlendVariable(cell, minus, beyond);
                // The row gap after the band's last cell: lane `live` of the next group's E.
                rowGapIn = Avx2.Subtract(Avx2.Max(rowGapIn, Avx2.PermuteVar8x32(inclusive, Vector256.Create(live - 1))),
                    Vector256.Create(live * GapExtend));
            }
            else
            {
                rowGapIn = Avx2.Subtract(Avx2.Max(rowGapIn, Avx2.PermuteVar8x32(inclusive, Vector256.Create(Lanes - 1))),
                    Vector256.Create(Lanes * GapExtend));
            }
            var cellFloor = floor;
            if (Avx2.MoveMask(Avx2.CompareGreaterThan(cell, Vector256.Create(bestScore)).AsByte()) != 0)
            {
                // A new best in this group: the floor of each cell is that of the best before it.
                var cellsBefore = PrefixMax(cell, minus);
                cellFloor = Avx2.Subtract(Avx2.Max(Vector256.Create(bestScore), ShiftUp(cellsBefore, minus)), Vector256.Create(xDrop));
                int groupBest = cellsBefore.GetElement(Lanes - 1);
                int first = System.Numerics.BitOperations.TrailingZeroCount(
                    Avx2.MoveMask(Avx2.CompareEqual(cell, Vector256.Create(groupBest)).AsSingle()));
                bestScore = groupBest;
                bestB = j + first;
                floor = Vector256.Create(bestScore - xDrop);
            }
            // Dead cells (below their floor) are marked; their column gap stays as it was.
            var dead = Avx2.CompareGreaterThan(cellFloor, cell);
            Avx.Store(current + j, Avx2.BlendVariable(cell, minus, dead));
            var newColumnGap = Avx2.Max(Avx2.Subtract(columnGap, extend), Avx2.Subtract(cell, open));
            Avx.Store(gaps + j, Avx2.BlendVariable(newColumnGap, columnGap, dead));
        }
        if (bestB >= 0)
        {
            row.BestScore = bestScore;
            row.BestB = bestB;
        }
        return rowGapIn.ToScalar();
    }

    /// <summary>The substitution scores of eight letters (the bytes of <paramref name="letters"/>)
    /// against the row's letter. A byte that is no letter (32 or more) gives some score in [-4, 11].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Substitutions(ulong letters, Vector128<sbyte> scoresLow, Vector128<sbyte> scoresHigh)
    {
        var index = Vector128.CreateScalarUnsafe(letters).AsSByte();
        var low = Ssse3.Shuffle(scoresLow, index);
        var high = Ssse3.Shuffle(scoresHigh, index);
        return Avx2.ConvertToVector256Int32(Sse41.BlendVariable(low, high, Sse2.CompareGreaterThan(index, Vector128.Create((sbyte)15))));
    }

    /// <summary>Each lane the maximum of itself and the lanes below it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> PrefixMax(Vector256<int> v, Vector256<int> minus)
    {
        v = Avx2.Max(v, ShiftUp(v, minus));
        v = Avx2.Max(v, Avx2.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 0, 1, 2, 3, 4, 5)), minus, 0b0000_0011));
        return Avx2.Max(v, Avx2.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 0, 0, 0, 1, 2, 3)), minus, 0b0000_1111));
    }

    /// <summary>The lanes moved up by one, <paramref name="minus"/> into lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ShiftUp(Vector256<int> v, Vector256<int> minus) =>
        Avx2.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 1, 2, 3, 4, 5, 6)), minus, 0b0000_0001);
}
