using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Mg;

/// <summary>MG's right-hand side (mg.f90's zran3): zero everywhere except +1 at the ten largest and
/// -1 at the ten smallest of NPB's random numbers laid over the finest grid, found across all ranks.</summary>
internal static class MgInitialField
{
    private const int Extremes = 10;
    private const double Seed = 314159265.0;

    public static void Fill(Span<double> z, MgDecomposition d, MgProblem problem, Communicator world, MgHalo halo)
    {
        int level = d.Levels, n = problem.Size;
        int n1 = d.Extent[0, level], n2 = d.Extent[1, level], n3 = d.Extent[2, level];
        double a = NpbRandom.DefaultMultiplier;
        double rowJump = NpbRandom.Power(a, n), planeJump = NpbRandom.Power(a, (long)n * n);
        long first = d.FirstGlobal[0] + (long)n * (d.FirstGlobal[1] + (long)n * d.FirstGlobal[2]);
        z[..(n1 * n2 * n3)].Clear();
        double planeStart = Seed;
        NpbRandom.Randlc(ref planeStart, NpbRandom.Power(a, first));
        for (int i3 = 1; i3 < n3 - 1; i3++)
        {
            double rowStart = planeStart;
            for (int i2 = 1; i2 < n2 - 1; i2++)
            {
                double x = rowStart;
                NpbRandom.Vranlc(z.Slice(1 + n1 * (i2 + n2 * i3), n1 - 2), ref x, a);
                NpbRandom.Randlc(ref rowStart, rowJump);
            }
            NpbRandom.Randlc(ref planeStart, planeJump);
        }

        // This rank's ten largest (ascending) and ten smallest (descending) values and where they are.
        Span<double> largest = stackalloc double[Extremes], smallest = stackalloc double[Extremes];
        Span<int> largestAt = stackalloc int[Extremes], smallestAt = stackalloc int[Extremes];
        largest.Clear();
        smallest.Fill(1.0);
        largestAt.Clear();
        smallestAt.Clear();
        for (int i3 = 1; i3 < n3 - 1; i3++)
            for (int i2 = 1; i2 < n2 - 1; i2++)
                for (int i1 = 1; i1 < n1 - 1; i1++)
                {
                    int at = i1 + n1 * (i2 + n2 * i3);
                    double value = z[at];
                    if (value > largest[0]) Insert(largest, largestAt, value, at, ascending: true);
                    if (value < smallest[0]) Insert(smallest, smallestAt, value, at, ascending: false);
                }

        // Merge across ranks one extreme at a time: the rank holding the global best keeps it.
        int nextLargest = Extremes - 1, nextSmallest = Extremes - 1;
        for (int i = Extremes - 1; i >= 0; i--)
        {
            double mine = z[largestAt[nextLargest]];
            if (world.Allreduce(mine, ReduceOp<double>.Max) == mine) nextLargest--;
            mine = z[smallestAt[nextSmallest]];
            if (world.Allreduce(mine, ReduceOp<double>.Min) == mine) nextSmallest--;
        }
        z[..(n1 * n2 * n3)].Clear();
        for (int i = Extremes - 1; i > nextSmallest; i--) z[smallestAt[i]] = -1.0;
        for (int i = Extremes - 1; i > nextLargest; i--) z[largestAt[i]] = +1.0;
        halo.Exchange(z, level);
    }

    /// <summary>NPB's bubble: the new value replaces entry 0 and moves up until the list is in order
    /// again (ascending for the largest values, descending for the smallest).</summary>
    private static void Insert(Span<double> values, Span<int> positions, double value, int position, bool ascending)
    {
        values[0] = value;
        positions[0] = position;
        for (int i = 0; i < values.Length - 1; i++)
        {
            bool outOfOrder = ascending ? values[i] > values[i + 1] : values[i] < values[i + 1];
            if (!outOfOrder) return;
            (values[i], values[i + 1]) = (values[i + 1], values[i]);
            (positions[i], positions[i + 1]) = (positions[i + 1], positions[i]);
        }
    }
}
