namespace Cosched.Workloads.Npb.Mg;

/// <summary>MG's moves between levels (mg.f90's rprj3 and interp): full-weighting restriction of a
/// residual to the next coarser level and trilinear interpolation of a correction to the next finer.</summary>
internal static class MgTransfer
{
    /// <summary>rprj3: s (coarse, m1j x m2j x m3j) = the 27-point weighted average of r (fine,
    /// m1k x m2k x m3k) around each coarse point's fine twin. A fine block of one point per axis
    /// (3 with ghosts) sits one place further along.</summary>
    public static void Restrict(ReadOnlySpan<double> r, int m1k, int m2k, int m3k, Span<double> s, int m1j, int m2j, int m3j,
        Span<double> x1, Span<double> y1)
    {
        int d1 = m1k == 3 ? 2 : 1, d2 = m2k == 3 ? 2 : 1, d3 = m3k == 3 ? 2 : 1;
        int plane = m1k * m2k;
        for (int j3 = 1; j3 < m3j - 1; j3++)
        {
            int i3 = 2 * j3 + 1 - d3;
            for (int j2 = 1; j2 < m2j - 1; j2++)
            {
                int i2 = 2 * j2 + 1 - d2;
                int centre = m1k * (i2 + m2k * i3);
                int south = centre - m1k, north = centre + m1k, below = centre - plane, above = centre + plane;
                int southBelow = south - plane, southAbove = south + plane, northBelow = north - plane, northAbove = north + plane;
                for (int j1 = 1; j1 < m1j; j1++)
                {
                    int i = 2 * j1 - d1; // i1 - 1
                    x1[i] = r[south + i] + r[north + i] + r[below + i] + r[above + i];
                    y1[i] = r[southBelow + i] + r[southAbove + i] + r[northBelow + i] + r[northAbove + i];
                }
                var target = s.Slice(m1j * (j2 + m2j * j3), m1j);
                for (int j1 = 1; j1 < m1j - 1; j1++)
                {
                    int i = 2 * j1 + 1 - d1;
                    double y2 = r[southBelow + i] + r[southAbove + i] + r[northBelow + i] + r[northAbove + i];
                    double x2 = r[south + i] + r[north + i] + r[below + i] + r[above + i];
                    target[j1] = 0.5 * r[centre + i]
                        + 0.25 * (r[centre + i - 1] + r[centre + i + 1] + x2)
                        + 0.125 * (x1[i - 1] + x1[i + 1] + y2)
                        + 0.0625 * (y1[i - 1] + y1[i + 1]);
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
        for (int i3 = 0; i3 < mm3 - 1; i3++)
        {
            for (int i2 = 0; i2 < mm2 - 1; i2++)
            {
                int c = mm1 * (i2 + mm2 * i3);
                for (int i1 = 0; i1 < mm1; i1++)
                {
                    z1[i1] = z[c + mm1 + i1] + z[c + i1];
                    z2[i1] = z[c + zPlane + i1] + z[c + i1];
                    z3[i1] = z[c + zPlane + mm1 + i1] + z[c + zPlane + i1] + z1[i1];
                }
                // The fine rows 2 i2 and 2 i2 + 1 of planes 2 i3 and 2 i3 + 1.
                var even = u.Slice(n1 * (2 * i2 + n2 * 2 * i3), n1);
                var odd = u.Slice(n1 * (2 * i2 + 1 + n2 * 2 * i3), n1);
                var upEven = u.Slice(n1 * (2 * i2) + uPlane * (2 * i3 + 1), n1);
                var upOdd = u.Slice(n1 * (2 * i2 + 1) + uPlane * (2 * i3 + 1), n1);
                for (int i1 = 0; i1 < mm1 - 1; i1++)
                {
                    even[2 * i1] += z[c + i1];
                    even[2 * i1 + 1] += 0.5 * (z[c + i1 + 1] + z[c + i1]);
                }
                for (int i1 = 0; i1 < mm1 - 1; i1++)
                {
                    odd[2 * i1] += 0.5 * z1[i1];
                    odd[2 * i1 + 1] += 0.25 * (z1[i1] + z1[i1 + 1]);
                }
                for (int i1 = 0; i1 < mm1 - 1; i1++)
                {
                    upEven[2 * i1] += 0.5 * z2[i1];
                    upEven[2 * i1 + 1] += 0.25 * (z2[i1] + z2[i1 + 1]);
                }
                for (int i1 = 0; i1 < mm1 - 1; i1++)
                {
                    upOdd[2 * i1] += 0.25 * z3[i1];
                    upOdd[2 * i1 + 1] += 0.125 * (z3[i1] + z3[i1 + 1]);
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
