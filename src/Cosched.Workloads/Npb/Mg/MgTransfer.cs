using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cosched.Workloads.Npb.Mg;

/// <summary>MG's moves between levels (mg.f90's rprj3 and interp): full-weighting restriction of a
/// residual to the next coarser level and trilinear interpolation of a correction to the next finer.</summary>
internal static class MgTransfer
{
    /// <summary>rprj3: s (coarse, m1j x m2j x m3j) = the 27-point weighted average of r (fine,
    /// m1k x m2k x m3k) around each coarse point's fine twin. A fine block of one point per axis
    /// (3 with ghosts) sits one place further along.</summary>
    /// <remarks>NPB sums each fine row's y-z face and edge neighbours into line buffers (x1, y1) at
    /// the odd points and again (x2, y2) at the even ones; summing them once for the whole row, with
    /// vectors, is the same arithmetic.</remarks>
    public static void Restrict(ReadOnlySpan<double> r, int m1k, int m2k, int m3k, Span<double> s, int m1j, int m2j, int m3j,
        Span<double> faces, Span<double> edges)
    {
        int d1 = m1k == 3 ? 2 : 1, d2 = m2k == 3 ? 2 : 1, d3 = m3k == 3 ? 2 : 1;
        if (r.Length < m1k * m2k * m3k || s.Length < m1j * m2j * m3j || 2 * m1j - 2 - d1 >= m1k)
            throw new ArgumentException("rprj3: blocks do not match their arrays");
        ref double f = ref MemoryMarshal.GetReference(faces);
        ref double e = ref MemoryMarshal.GetReference(edges);
        for (int j3 = 1; j3 < m3j - 1; j3++)
        {
            int i3 = 2 * j3 + 1 - d3;
            for (int j2 = 1; j2 < m2j - 1; j2++)
            {
                int i2 = 2 * j2 + 1 - d2;
                int centre = m1k * (i2 + m2k * i3);
                MgStencils.SumNeighbourRows(r, centre, m1k, m2k, faces, edges);
                ref double c = ref Unsafe.Add(ref MemoryMarshal.GetReference(r), centre);
                var target = s.Slice(m1j * (j2 + m2j * j3), m1j);
                ref double t = ref MemoryMarshal.GetReference(target);
                for (int j1 = 1; j1 < m1j - 1; j1++)
                {
                    int i = 2 * j1 + 1 - d1;
                    Unsafe.Add(ref t, j1) = 0.5 * Unsafe.Add(ref c, i)
                        + 0.25 * (Unsafe.Add(ref c, i - 1) + Unsafe.Add(ref c, i + 1) + Unsafe.Add(ref f, i))
                        + 0.125 * (Unsafe.Add(ref f, i - 1) + Unsafe.Add(ref f, i + 1) + Unsafe.Add(ref e, i))
                        + 0.0625 * (Unsafe.Add(ref e, i - 1) + Unsafe.Add(ref e, i + 1));
                }
            }
        }
    }

    /// <summary>interp: u (fine, n1 x n2 x n3) += the trilinear interpolation of z (coarse,
    /// mm1 x mm2 x mm3).</summary>
    public static void Interpolate(ReadOnlySpan<double> z, int mm1, int mm2, int mm3, Span<double> u, int n1, int n2, int n3,
        Span<double> z1, Span<double> z2, Span<double> z3)
    {
        if (n1 == 3 || n2 == 3 || n3 == 3)
        {
            InterpolateOntoSinglePoints(z, mm1, mm2, mm3, u, n1, n2, n3);
            return;
        }
        int zPlane = mm1 * mm2, uPlane = n1 * n2;
        if (z.Length < mm1 * mm2 * mm3 || u.Length < n1 * n2 * n3 || 2 * mm1 - 3 >= n1 || 2 * mm2 - 3 >= n2 || 2 * mm3 - 3 >= n3
            || z1.Length < mm1 || z2.Length < mm1 || z3.Length < mm1)
            throw new ArgumentException("interp: blocks do not match their arrays");
        ref double a = ref MemoryMarshal.GetReference(z1);
        ref double b = ref MemoryMarshal.GetReference(z2);
        ref double c3 = ref MemoryMarshal.GetReference(z3);
        for (int i3 = 0; i3 < mm3 - 1; i3++)
        {
            for (int i2 = 0; i2 < mm2 - 1; i2++)
            {
                ref double c = ref Unsafe.Add(ref MemoryMarshal.GetReference(z), mm1 * (i2 + mm2 * i3));
                ref double north = ref Unsafe.Add(ref c, mm1);
                ref double above = ref Unsafe.Add(ref c, zPlane);
                ref double northAbove = ref Unsafe.Add(ref c, zPlane + mm1);
                int i1 = 0;
                for (; i1 + 4 <= mm1; i1 += 4)
                {
                    nuint k = (nuint)i1;
                    var centre = Vector256.LoadUnsafe(ref c, k);
                    var sum1 = Vector256.LoadUnsafe(ref north, k) + centre;
                    sum1.StoreUnsafe(ref a, k);
                    (Vector256.LoadUnsafe(ref above, k) + centre).StoreUnsafe(ref b, k);
                    (Vector256.LoadUnsafe(ref northAbove, k) + Vector256.LoadUnsafe(ref above, k) + sum1).StoreUnsafe(ref c3, k);
                }
                for (; i1 < mm1; i1++)
                {
                    Unsafe.Add(ref a, i1) = Unsafe.Add(ref north, i1) + Unsafe.Add(ref c, i1);
                    Unsafe.Add(ref b, i1) = Unsafe.Add(ref above, i1) + Unsafe.Add(ref c, i1);
                    Unsafe.Add(ref c3, i1) = Unsafe.Add(ref northAbove, i1) + Unsafe.Add(ref above, i1) + Unsafe.Add(ref a, i1);
                }
                // The fine rows 2 i2 and 2 i2 + 1 of planes 2 i3 and 2 i3 + 1.
                ref double even = ref Unsafe.Add(ref MemoryMarshal.GetReference(u), n1 * (2 * i2) + uPlane * (2 * i3));
                ref double odd = ref Unsafe.Add(ref even, n1);
                ref double upEven = ref Unsafe.Add(ref even, uPlane);
                ref double upOdd = ref Unsafe.Add(ref even, uPlane + n1);
                for (int i = 0; i < mm1 - 1; i++)
                {
                    Unsafe.Add(ref even, 2 * i) += Unsafe.Add(ref c, i);
                    Unsafe.Add(ref even, 2 * i + 1) += 0.5 * (Unsafe.Add(ref c, i + 1) + Unsafe.Add(ref c, i));
                    Unsafe.Add(ref odd, 2 * i) += 0.5 * Unsafe.Add(ref a, i);
                    Unsafe.Add(ref odd, 2 * i + 1) += 0.25 * (Unsafe.Add(ref a, i) + Unsafe.Add(ref a, i + 1));
                    Unsafe.Add(ref upEven, 2 * i) += 0.5 * Unsafe.Add(ref b, i);
                    Unsafe.Add(ref upEven, 2 * i + 1) += 0.25 * (Unsafe.Add(ref b, i) + Unsafe.Add(ref b, i + 1));
                    Unsafe.Add(ref upOdd, 2 * i) += 0.25 * Unsafe.Add(ref c3, i);
                    Unsafe.Add(ref upOdd, 2 * i + 1) += 0.125 * (Unsafe.Add(ref c3, i) + Unsafe.Add(ref c3, i + 1));
                }
            }
        }
    }

    /// <summary>interp's general form, for fine blocks that hold one point along some axis (coarse
    /// levels split over many ranks); written in NPB's 1-based indices, where d and t shift the fine
    /// points of such an axis by one.</summary>
    private static void InterpolateOntoSinglePoints(ReadOnlySpan<double> z, int mm1, int mm2, int mm3, Span<double> u, int n1, int n2, int n3)
    {
        int d1 = n1 == 3 ? 2 : 1, t1 = n1 == 3 ? 1 : 0;
        int d2 = n2 == 3 ? 2 : 1, t2 = n2 == 3 ? 1 : 0;
        int d3 = n3 == 3 ? 2 : 1, t3 = n3 == 3 ? 1 : 0;
        double Z(ReadOnlySpan<double> zz, int i1, int i2, int i3) => zz[i1 - 1 + mm1 * (i2 - 1 + mm2 * (i3 - 1))];
        int U(int i1, int i2, int i3) => i1 - 1 + n1 * (i2 - 1 + n2 * (i3 - 1));
        for (int i3 = d3; i3 <= mm3 - 1; i3++)
        {
            for (int i2 = d2; i2 <= mm2 - 1; i2++)
            {
                for (int i1 = d1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - d1, 2 * i2 - d2, 2 * i3 - d3)] += Z(z, i1, i2, i3);
                for (int i1 = 1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - t1, 2 * i2 - d2, 2 * i3 - d3)] += 0.5 * (Z(z, i1 + 1, i2, i3) + Z(z, i1, i2, i3));
            }
            for (int i2 = 1; i2 <= mm2 - 1; i2++)
            {
                for (int i1 = d1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - d1, 2 * i2 - t2, 2 * i3 - d3)] += 0.5 * (Z(z, i1, i2 + 1, i3) + Z(z, i1, i2, i3));
                for (int i1 = 1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - t1, 2 * i2 - t2, 2 * i3 - d3)] += 0.25 * (Z(z, i1 + 1, i2 + 1, i3) + Z(z, i1 + 1, i2, i3)
                        + Z(z, i1, i2 + 1, i3) + Z(z, i1, i2, i3));
            }
        }
        for (int i3 = 1; i3 <= mm3 - 1; i3++)
        {
            for (int i2 = d2; i2 <= mm2 - 1; i2++)
            {
                for (int i1 = d1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - d1, 2 * i2 - d2, 2 * i3 - t3)] += 0.5 * (Z(z, i1, i2, i3 + 1) + Z(z, i1, i2, i3));
                for (int i1 = 1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - t1, 2 * i2 - d2, 2 * i3 - t3)] += 0.25 * (Z(z, i1 + 1, i2, i3 + 1) + Z(z, i1, i2, i3 + 1)
                        + Z(z, i1 + 1, i2, i3) + Z(z, i1, i2, i3));
            }
            for (int i2 = 1; i2 <= mm2 - 1; i2++)
            {
                for (int i1 = d1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - d1, 2 * i2 - t2, 2 * i3 - t3)] += 0.25 * (Z(z, i1, i2 + 1, i3 + 1) + Z(z, i1, i2, i3 + 1)
                        + Z(z, i1, i2 + 1, i3) + Z(z, i1, i2, i3));
                for (int i1 = 1; i1 <= mm1 - 1; i1++)
                    u[U(2 * i1 - t1, 2 * i2 - t2, 2 * i3 - t3)] += 0.125 * (Z(z, i1 + 1, i2 + 1, i3 + 1) + Z(z, i1 + 1, i2, i3 + 1)
                        + Z(z, i1, i2 + 1, i3 + 1) + Z(z, i1, i2, i3 + 1)
                        + Z(z, i1 + 1, i2 + 1, i3) + Z(z, i1 + 1, i2, i3)
                        + Z(z, i1, i2 + 1, i3) + Z(z, i1, i2, i3));
            }
        }
    }
}
