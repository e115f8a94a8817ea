using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cosched.Workloads.Npb.Mg;

/// <summary>MG's two 27-point stencils on one level (mg.f90's resid and psinv), vectorised along x.
/// Both sum each row's four face neighbours and four edge neighbours along y and z once (NPB's
/// u1/u2 and r1/r2 line buffers), then combine them with the row's own x neighbours.</summary>
internal static class MgStencils
{
    /// <summary>resid: r = v - A u on the interior of an n1 x n2 x n3 block (v may be r itself).</summary>
    public static void Residual(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> r, int n1, int n2, int n3,
        ReadOnlySpan<double> a, Span<double> faces, Span<double> edges)
    {
        CheckBlock(n1 * n2 * n3, u.Length, v.Length, r.Length);
        double a0 = a[0], a2 = a[2], a3 = a[3];
        var va0 = Vector256.Create(a0);
        var va2 = Vector256.Create(a2);
        var va3 = Vector256.Create(a3);
        for (int i3 = 1; i3 < n3 - 1; i3++)
        {
            for (int i2 = 1; i2 < n2 - 1; i2++)
            {
                int row = n1 * (i2 + n2 * i3);
                SumNeighbourRows(u, row, n1, n2, faces, edges);
                ref double uRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(u), row);
                ref double vRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(v), row);
                ref double rRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(r), row);
                ref double f = ref MemoryMarshal.GetReference(faces);
                ref double e = ref MemoryMarshal.GetReference(edges);
                int i1 = 1;
                for (; i1 + 4 <= n1 - 1; i1 += 4)
                {
                    nuint i = (nuint)i1;
                    var result = Vector256.LoadUnsafe(ref vRow, i)
                        - va0 * Vector256.LoadUnsafe(ref uRow, i)
                        - va2 * (Vector256.LoadUnsafe(ref e, i) + Vector256.LoadUnsafe(ref f, i - 1) + Vector256.LoadUnsafe(ref f, i + 1))
                        - va3 * (Vector256.LoadUnsafe(ref e, i - 1) + Vector256.LoadUnsafe(ref e, i + 1));
                    result.StoreUnsafe(ref rRow, i);
                }
                for (; i1 < n1 - 1; i1++)
                {
                    Unsafe.Add(ref rRow, i1) = Unsafe.Add(ref vRow, i1)
                        - a0 * Unsafe.Add(ref uRow, i1)
                        - a2 * (Unsafe.Add(ref e, i1) + Unsafe.Add(ref f, i1 - 1) + Unsafe.Add(ref f, i1 + 1))
                        - a3 * (Unsafe.Add(ref e, i1 - 1) + Unsafe.Add(ref e, i1 + 1));
                }
            }
        }
    }

    /// <summary>psinv: u += S r on the interior of an n1 x n2 x n3 block (the smoother).</summary>
    public static void Smooth(ReadOnlySpan<double> r, Span<double> u, int n1, int n2, int n3,
        ReadOnlySpan<double> c, Span<double> faces, Span<double> edges)
    {
        CheckBlock(n1 * n2 * n3, r.Length, u.Length, u.Length);
        double c0 = c[0], c1 = c[1], c2 = c[2];
        var vc0 = Vector256.Create(c0);
        var vc1 = Vector256.Create(c1);
        var vc2 = Vector256.Create(c2);
        for (int i3 = 1; i3 < n3 - 1; i3++)
        {
            for (int i2 = 1; i2 < n2 - 1; i2++)
            {
                int row = n1 * (i2 + n2 * i3);
                SumNeighbourRows(r, row, n1, n2, faces, edges);
                ref double rRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(r), row);
                ref double uRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(u), row);
                ref double f = ref MemoryMarshal.GetReference(faces);
                ref double e = ref MemoryMarshal.GetReference(edges);
                int i1 = 1;
                for (; i1 + 4 <= n1 - 1; i1 += 4)
                {
                    nuint i = (nuint)i1;
                    var result = Vector256.LoadUnsafe(ref uRow, i)
                        + vc0 * Vector256.LoadUnsafe(ref rRow, i)
                        + vc1 * (Vector256.LoadUnsafe(ref rRow, i - 1) + Vector256.LoadUnsafe(ref rRow, i + 1) + Vector256.LoadUnsafe(ref f, i))
                        + vc2 * (Vector256.LoadUnsafe(ref e, i) + Vector256.LoadUnsafe(ref f, i - 1) + Vector256.LoadUnsafe(ref f, i + 1));
                    result.StoreUnsafe(ref uRow, i);
                }
                for (; i1 < n1 - 1; i1++)
                {
                    Unsafe.Add(ref uRow, i1) = Unsafe.Add(ref uRow, i1)
                        + c0 * Unsafe.Add(ref rRow, i1)
                        + c1 * (Unsafe.Add(ref rRow, i1 - 1) + Unsafe.Add(ref rRow, i1 + 1) + Unsafe.Add(ref f, i1))
                        + c2 * (Unsafe.Add(ref e, i1) + Unsafe.Add(ref f, i1 - 1) + Unsafe.Add(ref f, i1 + 1));
                }
            }
        }
    }

    private static void CheckBlock(int points, int first, int second, int third)
    {
        if (first < points || second < points || third < points) throw new ArgumentException("MG block larger than its array");
    }

    /// <summary>For the row at <paramref name="row"/>: faces = the four rows beside it in y and z,
    /// edges = the four rows diagonal to it in y-z, summed element by element over the whole row.</summary>
    internal static void SumNeighbourRows(ReadOnlySpan<double> x, int row, int n1, int n2, Span<double> faces, Span<double> edges)
    {
        int plane = n1 * n2;
        ref double start = ref MemoryMarshal.GetReference(x);
        ref double south = ref Unsafe.Add(ref start, row - n1);
        ref double north = ref Unsafe.Add(ref start, row + n1);
        ref double below = ref Unsafe.Add(ref start, row - plane);
        ref double above = ref Unsafe.Add(ref start, row + plane);
        ref double southBelow = ref Unsafe.Add(ref start, row - n1 - plane);
        ref double northBelow = ref Unsafe.Add(ref start, row + n1 - plane);
        ref double southAbove = ref Unsafe.Add(ref start, row - n1 + plane);
        ref double northAbove = ref Unsafe.Add(ref start, row + n1 + plane);
        ref double f = ref MemoryMarshal.GetReference(faces);
        ref double e = ref MemoryMarshal.GetReference(edges);
        if (faces.Length < n1 || edges.Length < n1 || row - n1 - plane < 0 || row + n1 + plane + n1 > x.Length)
            throw new ArgumentOutOfRangeException(nameof(row));
        int i = 0;
        for (; i + 4 <= n1; i += 4)
        {
            nuint k = (nuint)i;
            (Vector256.LoadUnsafe(ref south, k) + Vector256.LoadUnsafe(ref north, k)
                + Vector256.LoadUnsafe(ref below, k) + Vector256.LoadUnsafe(ref above, k)).StoreUnsafe(ref f, k);
            (Vector256.LoadUnsafe(ref southBelow, k) + Vector256.LoadUnsafe(ref northBelow, k)
                + Vector256.LoadUnsafe(ref southAbove, k) + Vector256.LoadUnsafe(ref northAbove, k)).StoreUnsafe(ref e, k);
        }
        for (; i < n1; i++)
        {
            Unsafe.Add(ref f, i) = Unsafe.Add(ref south, i) + Unsafe.Add(ref north, i) + Unsafe.Add(ref below, i) + Unsafe.Add(ref above, i);
            Unsafe.Add(ref e, i) = Unsafe.Add(ref southBelow, i) + Unsafe.Add(ref northBelow, i) + Unsafe.Add(ref southAbove, i) + Unsafe.Add(ref northAbove, i);
        }
    }
}
