namespace Cosched.Workloads.Npb.Mg;

/// <summary>How MG splits every level of its grid hierarchy over a 3-D grid of ranks (mg.f90's
/// setup): each rank's block per level (with one ghost layer on each side), its neighbours per axis,
/// and, on coarse levels with fewer points than ranks along an axis, which ranks hold nothing
/// ("dead") and which must hand their single point to an empty neighbour after interpolation.</summary>
internal sealed class MgDecomposition
{
    public MgDecomposition(MgProblem problem, int ranks, int rank)
    {
        int top = problem.Levels;
        Levels = top;
        Rank = rank;
        int logRanks = 31 - int.LeadingZeroCount(ranks);
        int dx = logRanks / 3, dy = (logRanks - dx) / 2;
        RanksPerAxis = [1 << dx, 1 << dy, ranks / ((1 << dx) * (1 << dy))];
        Coordinates = [rank % RanksPerAxis[0], rank / RanksPerAxis[0] % RanksPerAxis[1], rank / (RanksPerAxis[0] * RanksPerAxis[1])];

        // Levels are numbered 1 (coarsest, 2 points per axis) to top (finest), as in NPB.
        Extent = new int[3, top + 2];
        Dead = new bool[top + 2];
        Gives = new bool[3, top + 2];
        Takes = new bool[3, top + 2];
        Neighbour = new int[3, 2, top + 2];
        Span<int> step = [1, 1, 1];
        for (int level = top; level >= 1; level--)
        {
            int points = problem.Size >> (top - level);
            for (int axis = 0; axis < 3; axis++)
            {
                int p = RanksPerAxis[axis], me = Coordinates[axis];
                int mine = 2 + (me + 1) * points / p - me * points / p;
                int next = 2 + (step[axis] + me + 1) * points / p - (step[axis] + me) * points / p;
                // An empty block on either side: neighbours at this level are further away.
                if (next == 2 || mine == 2) step[axis] *= 2;
                if (level < top)
                {
                    if (next == 2 && mine == 3) Gives[axis, level + 1] = true;
                    if (next == 3 && mine == 2) Takes[axis, level + 1] = true;
                }
                Extent[axis, level] = mine;
                if (mine == 2) Dead[level] = true;
            }
            for (int axis = 0; axis < 3; axis++)
            {
                int p = RanksPerAxis[axis];
                Neighbour[axis, 1, level] = RankWith(axis, (Coordinates[axis] + step[axis] + p) % p);
                Neighbour[axis, 0, level] = RankWith(axis, (Coordinates[axis] - step[axis] % p + p) % p);
            }
        }

        Offset = new int[top + 2];
        for (int level = top - 1; level >= 1; level--)
            Offset[level] = Offset[level + 1] + Points(level + 1);
        TotalPoints = Offset[1] + Points(1);

        // First global index of this rank's points on the finest level (NPB's is1-2, is2-2, is3-2).
        FirstGlobal = new int[3];
        for (int axis = 0; axis < 3; axis++)
        {
            int p = RanksPerAxis[axis], n = problem.Size;
            FirstGlobal[axis] = n - (p - Coordinates[axis]) * n / p;
        }
    }

    public int Levels { get; }
    public int Rank { get; }

    /// <summary>Ranks along x, y and z (x varies fastest with the rank number).</summary>
    public int[] RanksPerAxis { get; }

    /// <summary>This rank's position in the rank grid.</summary>
    public int[] Coordinates { get; }

    /// <summary>Points per axis of this rank's block at a level, ghost layers included (m1, m2, m3).</summary>
    public int[,] Extent { get; }

    /// <summary>Whether this rank holds no point of a level (its halo exchange just zeroes the block).</summary>
    public bool[] Dead { get; }

    /// <summary>Whether, after interpolating to a level, this rank sends its boundary layers along an
    /// axis to empty neighbours (give_ex) or receives them from full neighbours (take_ex).</summary>
    public bool[,] Gives { get; }
    public bool[,] Takes { get; }

    /// <summary>The rank on the low (0) or high (1) side along an axis at a level.</summary>
    public int[,,] Neighbour { get; }

    /// <summary>Where each level's block starts in the array that holds all levels (NPB's ir).</summary>
    public int[] Offset { get; }

    /// <summary>Doubles in the array that holds every level of this rank.</summary>
    public int TotalPoints { get; }

    /// <summary>Global index of this rank's first point along each axis on the finest level.</summary>
    public int[] FirstGlobal { get; }

    public int Points(int level) => Extent[0, level] * Extent[1, level] * Extent[2, level];

    private int RankWith(int axis, int coordinate)
    {
        Span<int> c = [Coordinates[0], Coordinates[1], Coordinates[2]];
        c[axis] = coordinate;
        return c[0] + RanksPerAxis[0] * (c[1] + RanksPerAxis[1] * c[2]);
    }
}
