namespace Cosched.Workloads.Tests.Blast;

using Cosched.Workloads.Blast;
using CsCheck;

/// <summary>The gapped extensions against a plain affine-gap (Gotoh) dynamic programming over the
/// whole matrix: with an X-drop too large to prune anything, the best extension is the best score
/// of any prefix pair, with free gaps and with gaps restricted to every RestrictSize-th row and
/// column, as blastp's restricted alignment allows them.</summary>
public sealed class GappedAlignerPropertyTests
{
    private const int NoDrop = 1_000_000;
    private const int Open = GappedAligner.GapOpen + GappedAligner.GapExtend, Extend = GappedAligner.GapExtend;
    private const int Minus = int.MinValue / 4;

    /// <summary>Best score of aligning a[0..i) with b[0..j), over all i, j. A gap consuming letters
    /// of B runs along one row i of the matrix and may exist only where gapsInRow(i); a gap
    /// consuming letters of A runs down one column j and may exist only where gapsInColumn(j).</summary>
    private static int Reference(byte[] a, byte[] b, Func<int, bool> gapsInRow, Func<int, bool> gapsInColumn)
    {
        int m = a.Length, n = b.Length;
        var h = new int[m + 1, n + 1];   // ends in a substitution, or is the origin
        var e = new int[m + 1, n + 1];   // ends in a gap consuming B
        var f = new int[m + 1, n + 1];   // ends in a gap consuming A
        int best = 0;
        for (int i = 0; i <= m; i++)
            for (int j = 0; j <= n; j++)
            {
                if (i == 0 && j == 0) { h[0, 0] = 0; e[0, 0] = f[0, 0] = Minus; continue; }
                int Best(int x, int y) => Math.Max(h[x, y], Math.Max(e[x, y], f[x, y]));
                h[i, j] = i > 0 && j > 0 ? Best(i - 1, j - 1) + Blosum62.Score(a[i - 1], b[j - 1]) : Minus;
                e[i, j] = j > 0 && gapsInRow(i) ? Math.Max(e[i, j - 1] - Extend, Best(i, j - 1) - Open) : Minus;
                f[i, j] = i > 0 && gapsInColumn(j) ? Math.Max(f[i - 1, j] - Extend, Best(i - 1, j) - Open) : Minus;
                best = Math.Max(best, Best(i, j));
            }
        return best;
    }

    /// <summary>Two proteins of 1 to 60 letters, the second often a mutated copy of the first with indels.</summary>
    private static readonly Gen<(byte[] A, byte[] B)> Pairs =
        Gen.Select(Gen.Byte[0, 19].Array[1, 60], Gen.Int[0, 3], Gen.Int, (a, mode, seed) =>
        {
            var random = new Random(seed);
            var b = new List<byte>();
            foreach (var letter in a)
            {
                int roll = random.Next(12);
                if (mode == 0) b.Add((byte)random.Next(20));                  // unrelated
                else if (roll == 0) continue;                                    // deletion
                else if (roll == 1) { b.Add(letter); b.Add((byte)random.Next(20)); } // insertion
                else b.Add(roll == 2 ? (byte)random.Next(20) : letter);
            }
            if (b.Count == 0) b.Add(a[0]);
            return (a, b.ToArray());
        });

    private static byte[] WithSpare(byte[] b) => [.. b, 0];

    [Fact]
    public void FreeExtensionsScoreTheBestPrefixAlignment()
    {
        Pairs.Sample(pair =>
        {
            var (a, b) = pair;
            var aligner = new GappedAligner(); // samples run on several threads; an aligner is single-threaded
            int expected = Reference(a, b, _ => true, _ => true);
            int score = aligner.ScoreOnly(a, WithSpare(b), b.Length, NoDrop, out int aUsed, out int bUsed);
            var columns = new AlignmentColumns();
            int traced = aligner.WithTraceback(a, WithSpare(b), b.Length, NoDrop, out int aTraced, out int bTraced, ref columns);
            Assert.Equal(expected, score);
            Assert.Equal(expected, traced);
            Assert.Equal((aUsed, bUsed), (aTraced, bTraced));
            // The walked columns account for every letter covered: substitutions use one of each, gaps one of either.
            int gapLetters = columns.Length - columns.Identities - columns.Mismatches;
            Assert.Equal(aUsed + bUsed, 2 * (columns.Identities + columns.Mismatches) + gapLetters);
        });
    }

    /// <summary>Two proteins of 1 to 400 letters, the second a copy of the first with mutations
    /// and indels at a random rate (up to unrelated), and an X-drop from 1 to 80: long enough that
    /// bands grow and shrink, cells die inside them and rows find new bests in the middle.</summary>
    private static readonly Gen<(byte[] A, byte[] B, int XDrop)> PrunedPairs =
        Gen.Select(Gen.Byte[0, 24].Array[1, 400], Gen.Int[0, 100], Gen.Int[1, 80], Gen.Int, (a, rate, xDrop, seed) =>
        {
            var random = new Random(seed);
            var b = new List<byte>();
            foreach (var letter in a)
            {
                if (random.Next(100) >= rate) { b.Add(letter); continue; }
                int roll = random.Next(6);
                if (roll == 0) continue;                                                   // deletion
                if (roll == 1) { b.Add(letter); b.Add((byte)random.Next(25)); continue; } // insertion
                if (roll == 2) for (int k = random.Next(1, 12); k > 0; k--) b.Add((byte)random.Next(25)); // long insertion
                else b.Add((byte)random.Next(25));                                         // substitution
            }
            if (b.Count == 0) b.Add(a[0]);
            return (a, b.ToArray(), xDrop);
        });

    [Avx2Fact]
    public void VectorScoreOnlyExtensionsMatchTheScalarOnes()
    {
        PrunedPairs.Sample(pair =>
        {
            var (a, b, xDrop) = pair;
            int scalar = new GappedAligner(vectors: false).ScoreOnly(a, WithSpare(b), b.Length, xDrop, out int aScalar, out int bScalar);
            int vector = new GappedAligner(vectors: true).ScoreOnly(a, WithSpare(b), b.Length, xDrop, out int aVector, out int bVector);
            Assert.Equal((scalar, aScalar, bScalar), (vector, aVector, bVector));
        }, iter: 3000);
    }

    [Avx2Fact]
    public void TracebacksStoppedAtTheBestRowMatchTheFullOnes()
    {
        PrunedPairs.Sample(pair =>
        {
            var (a, b, xDrop) = pair;
            var full = new AlignmentColumns();
            var stopped = new AlignmentColumns();
            int fullScore = new GappedAligner(vectors: false).WithTraceback(a, WithSpare(b), b.Length, xDrop, out int aFull, out int bFull, ref full);
            int stoppedScore = new GappedAligner(vectors: true).WithTraceback(a, WithSpare(b), b.Length, xDrop, out int aStopped, out int bStopped, ref stopped);
            Assert.Equal((fullScore, aFull, bFull, full), (stoppedScore, aStopped, bStopped, stopped));
        }, iter: 2000);
    }

    [Fact]
    public void RestrictedExtensionsOpenGapsOnlyEveryRestrictSizeLetters()
    {
        const int r = GappedAligner.RestrictSize;
        Pairs.Sample(pair =>
        {
            var (a, b) = pair;
            var aligner = new GappedAligner();
            int expected = Reference(a, b, i => i % r == 0, j => j % r == 0);
            int restricted = aligner.RestrictedScoreOnly(a, WithSpare(b), b.Length, NoDrop, out _, out _);
            int free = aligner.ScoreOnly(a, WithSpare(b), b.Length, NoDrop, out _, out _);
            Assert.Equal(expected, restricted);
            Assert.True(restricted <= free, $"restricted {restricted} above free {free}");
        });
    }
}

/// <summary>A fact about the AVX2 extensions (<see cref="AvxGappedAligner"/>); skipped, saying so,
/// on a CPU without AVX2, where only the scalar code runs.</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!AvxGappedAligner.IsSupported) Skip = "needs a CPU with AVX2 (the vector extensions do not run here)";
    }
}
