using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cosched.Workloads.Blast;

/// <summary>The free-gap X-drop extensions of <see cref="GappedAligner"/> (NCBI's
/// Blast_SemiGappedAlign, and ALIGN_EX's states for the traceback), eight cells of a row at a time
/// with AVX2; the same scores, extents, bands and states as the scalar code, which the tests check.
/// In a row the only value carried from cell to cell is the row gap E, and for a live cell
/// E[j+1] = max(E[j] - extend, M[j] - open), where M[j] (the better of the diagonal and the column
/// gap) does not depend on E: so E over eight cells is a prefix maximum, and so is the floor (the
/// best score so far minus X) that decides which cells die. After a dead cell the scalar loop
/// keeps E as it was: the score-only extension lets E run on by the rule, which cannot show (both
/// are then below the floor, where E can neither revive a cell nor be the best term of a live one,
/// and both meet again at the next M - open above the floor); the states, which record whether a
/// gap extends, need E exactly, and get it from a second scan in which a dead cell passes E on
/// unchanged (a prefix of max-plus maps E -> max(E + A, B)). The row's scores are written to a
/// second buffer (the diagonal reads the row before, one column to the left, so the rows cannot
/// share one in place).</summary>
internal sealed class AvxGappedAligner
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
    public int Score(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, out int aUsed, out int bUsed)
    {
        byte[] noStates = [];
        int[] noRows = [];
        return Extend<ScoresOnly>(a, b, n, xDrop, ref noStates, ref noRows, out aUsed, out bUsed);
    }

    /// <summary>As GappedAligner's scalar extension with states: the same score and extents, and
    /// in <paramref name="states"/> (cell (i, j) at rowBase[i] + j, grown as needed) the same
    /// states, for its traceback walk.</summary>
    public int AlignWithStates(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, ref byte[] states, ref int[] rowBase,
        out int aUsed, out int bUsed)
        => Extend<WithStates>(a, b, n, xDrop, ref states, ref rowBase, out aUsed, out bUsed);

    /// <summary>Whether an extension records states; a struct type argument, so the compiler
    /// makes one copy of the extension with the recording and one without.</summary>
    private interface IRecording
    {
        static abstract bool States { get; }
    }

    private struct ScoresOnly : IRecording
    {
        public static bool States => false;
    }

    private struct WithStates : IRecording
    {
        public static bool States => true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int Extend<TRecording>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int n, int xDrop, ref byte[] states, ref int[] rowBase,
        out int aUsed, out int bUsed)
        where TRecording : struct, IRecording
    {
        int m = a.Length;
        if (TRecording.States && rowBase.Length < m + 1) rowBase = new int[Math.Max(m + 1, rowBase.Length * 2)];
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
            // States are kept row after row from cell firstB on; cells (0, j >= 1) are reached by
            // the row gap, and the gap leaving them extends it.
            int used = 0;
            if (TRecording.States)
            {
                EnsureStates(ref states, bSize);
                rowBase[0] = 0;
                states[0] = GappedAligner.OpSubstitute;
                for (int j = 1; j < bSize; j++) states[j] = GappedAligner.OpGapInA | GappedAligner.ExtendsGapInA;
                used = bSize;
            }
            for (int ai = 1; ai <= m; ai++)
            {
                var row = new Row
                {
                    Previous = previous, Current = current, Gaps = gaps, B = bp,
                    Scores = matrix + ap[ai - 1] * Blosum62.Stride,
                    BestScore = bestScore, XDrop = xDrop, BestB = -1,
                };
                int scoreGapRow;
                if (TRecording.States)
                {
                    // The last group may write states past the band's end: the band's growth
                    // and the next row overwrite them.
                    EnsureStates(ref states, used + bSize - firstB + Lanes);
                    rowBase[ai] = used - firstB;
                    fixed (byte* rowStates = &states[used])
                    {
                        row.States = rowStates - firstB;
                        scoreGapRow = ScoreRow<TRecording>(ref row, firstB, bSize);
                    }
                    used += bSize - firstB;
                }
                else
                {
                    scoreGapRow = ScoreRow<TRecording>(ref row, firstB, bSize);
                }
                if (row.BestB >= 0) { bestScore = row.BestScore; bestA = ai; bestB = row.BestB; }
                while (firstB < bSize && current[firstB] == MinScore) firstB++;
                if (firstB == bSize) break;
                int rowEnd = bSize, lastB = bSize - 1;
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
                if (TRecording.States)
                {
                    // The cells the band grew by: row-gap cells, then the closing dead cell.
                    EnsureStates(ref states, used + Math.Max(0, bSize - rowEnd));
                    for (int j = rowEnd; j < bSize; j++)
                        states[used++] = current[j] == MinScore ? GappedAligner.OpSubstitute : (byte)(GappedAligner.OpGapInA | GappedAligner.ExtendsGapInA);
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

    private static void EnsureStates(ref byte[] states, int size)
    {
        if (states.Length < size) Array.Resize(ref states, Math.Max(size, states.Length * 2));
    }

    /// <summary>What one row works on, and the best cell it found (BestB stays -1 when none beat
    /// BestScore). States, when recorded, is where column 0's state would go.</summary>
    private unsafe struct Row
    {
        public int* Previous, Current, Gaps;
        public byte* States;
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
    private static unsafe int ScoreRow<TRecording>(ref Row row, int firstB, int bSize)
        where TRecording : struct, IRecording
    {
        int* previous = row.Previous, current = row.Current, gaps = row.Gaps;
        byte* b = row.B, states = row.States;
        int bestScore = row.BestScore, xDrop = row.XDrop, bestB = -1;
        // The row's substitution scores as bytes, for a table lookup of eight letters at once.
        var scoresLow = Sse2.LoadVector128(row.Scores);
        var scoresHigh = Sse2.LoadVector128(row.Scores + 16);
        // The diagonal into the band's first cell comes from outside the band: it is MinScore, as
        // in the scalar code. (Written to the row before, left of its band, where nothing reads it;
        // for column 0 there is no letter before, and the groups below read letter 0 instead.)
        byte letterBefore = firstB > 0 ? b[firstB - 1] : (byte)0;
        previous[firstB - 1] = MinScore - Substitutions(letterBefore, scoresLow, scoresHigh).ToScalar();
        var minus = Vector256.Create(MinScore);
        var steps = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * GapExtend;
        var open = Vector256.Create(GapOpenExtend);
        var extend = Vector256.Create(GapExtend);
        var lastLane = Vector256.Create(Lanes - 1);
        // No bound: below any row gap, which falls below MinScore by an extend per cell at most.
        var never = Vector256.Create(int.MinValue / 4 * 3);
        var rowGapIn = minus; // the row gap into the group's first cell, in every lane
        var floor = Vector256.Create(bestScore - xDrop);
        for (int j = firstB; j < bSize; j += Lanes)
        {
            int live = bSize - j;
            // The letters of B before the group's cells; before column 0 and past B's end, zeros
            // (nothing is read outside B).
            ulong letters;
            if (live >= Lanes && j > 0)
            {
                letters = *(ulong*)(b + j - 1);
            }
            else
            {
                letters = 0;
                for (int k = j > 0 ? 0 : 1; k < Math.Min(live, Lanes); k++) letters |= (ulong)b[j - 1 + k] << (8 * k);
            }
            var columnGap = Avx.LoadVector256(gaps + j);
            var diagonal = Avx2.Add(Avx.LoadVector256(previous + j - 1), Substitutions(letters, scoresLow, scoresHigh));
            var noRowGap = Avx2.Max(diagonal, columnGap);
            // E[j + i] = max(E[j], max over k < i of (M[j + k] - open + (k + 1) extend)) - i extend.
            var inclusive = PrefixMax(Avx2.Add(Avx2.Subtract(noRowGap, open), Avx2.Add(steps, extend)), minus);
            var rowGap = Avx2.Subtract(Avx2.Max(rowGapIn, ShiftUp(inclusive, minus)), steps);
            var cell = Avx2.Max(noRowGap, rowGap);
            if (live < Lanes)
            {
                var beyond = Avx2.CompareGreaterThan(steps, Vector256.Create((live - 1) * GapExtend));
                cell = Avx2.BlendVariable(cell, minus, beyond);
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
            if (!TRecording.States)
            {
                // Lanes past the band are dead: E after the band's last cell is E after lane 7.
                rowGapIn = Avx2.Subtract(Avx2.Max(rowGapIn, Avx2.PermuteVar8x32(inclusive, Vector256.Create(live < Lanes ? live - 1 : Lanes - 1))),
                    Vector256.Create(Math.Min(live, Lanes) * GapExtend));
                continue;
            }
            // E exactly: a live cell maps E to max(E - extend, M - open), a dead one passes it on.
            // Prefixes of these maps (E -> max(E + shift, bound)) in three steps, then shifted
            // by one lane, give the E into each cell.
            var shift = Avx2.AndNot(dead, Vector256.Create(-GapExtend));
            var bound = Avx2.BlendVariable(Avx2.Subtract(noRowGap, open), never, dead);
            ComposeStep(ref shift, ref bound, 1, never);
            ComposeStep(ref shift, ref bound, 2, never);
            ComposeStep(ref shift, ref bound, 4, never);
            var exactRowGap = Avx2.Max(Avx2.Add(rowGapIn, ShiftUp(shift, Vector256<int>.Zero)), ShiftUp(bound, never));
            rowGapIn = Avx2.Max(Avx2.Add(rowGapIn, Avx2.PermuteVar8x32(shift, lastLane)), Avx2.PermuteVar8x32(bound, lastLane));
            // The state of each cell, as ALIGN_EX records it: the move that reached it (a gap
            // only when strictly better), and for a live cell whether the gaps leaving it extend
            // the ones that reached it (not worse than opening).
            var gapInB = Avx2.CompareGreaterThan(columnGap, diagonal);
            var gapInA = Avx2.CompareGreaterThan(exactRowGap, noRowGap);
            var opened = Avx2.Subtract(cell, open);
            var extendsB = Avx2.AndNot(Avx2.CompareGreaterThan(opened, Avx2.Subtract(columnGap, extend)), Vector256.Create((int)GappedAligner.ExtendsGapInB));
            var extendsA = Avx2.AndNot(Avx2.CompareGreaterThan(opened, Avx2.Subtract(exactRowGap, extend)), Vector256.Create((int)GappedAligner.ExtendsGapInA));
            var op = Avx2.BlendVariable(Avx2.And(gapInB, Vector256.Create((int)GappedAligner.OpGapInB)), Vector256.Create((int)GappedAligner.OpGapInA), gapInA);
            var state = Avx2.Or(op, Avx2.AndNot(dead, Avx2.Or(extendsA, extendsB)));
            // The low byte of each lane, eight bytes.
            var packed = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(state, state), Vector256<short>.Zero);
            *(uint*)(states + j) = packed.GetLower().AsUInt32().ToScalar();
            *(uint*)(states + j + 4) = packed.GetUpper().AsUInt32().ToScalar();
        }
        if (bestB >= 0)
        {
            row.BestScore = bestScore;
            row.BestB = bestB;
        }
        return rowGapIn.ToScalar();
    }

    /// <summary>One step of the prefix composition of the row-gap maps E -> max(E + shift, bound):
    /// each lane composes the map <paramref name="distance"/> lanes below it (the identity,
    /// shift 0 and bound <paramref name="never"/>, below lane 0) with its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ComposeStep(ref Vector256<int> shift, ref Vector256<int> bound, int distance, Vector256<int> never)
    {
        var lower = ShiftUpBy(shift, distance, Vector256<int>.Zero);
        var lowerBound = ShiftUpBy(bound, distance, never);
        bound = Avx2.Max(Avx2.Add(lowerBound, shift), bound);
        shift = Avx2.Add(lower, shift);
    }

    /// <summary>The substitution scores of eight letters (the bytes of <paramref name="letters"/>)
    /// against the row's letter.</summary>
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
        v = Avx2.Max(v, ShiftUpBy(v, 1, minus));
        v = Avx2.Max(v, ShiftUpBy(v, 2, minus));
        return Avx2.Max(v, ShiftUpBy(v, 4, minus));
    }

    /// <summary>The lanes moved up by one, <paramref name="fill"/> into lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ShiftUp(Vector256<int> v, Vector256<int> fill) => ShiftUpBy(v, 1, fill);

    /// <summary>The lanes moved up by 1, 2 or 4 (a constant after inlining), <paramref name="fill"/> into the lanes below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ShiftUpBy(Vector256<int> v, int distance, Vector256<int> fill) => distance switch
    {
        1 => Avx2.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 1, 2, 3, 4, 5, 6)), fill, 0b0000_0001),
        2 => Avx2.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 0, 1, 2, 3, 4, 5)), fill, 0b0000_0011),
        _ => Avx2.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 0, 0, 0, 1, 2, 3)), fill, 0b0000_1111),
    };
}
