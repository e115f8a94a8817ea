namespace Cosched.Workloads.Npb.Cg;

/// <summary>This rank's block of NPB CG's matrix in compressed rows: local row r's nonzeros are
/// Values[RowStart[r] .. RowStart[r + 1]), at local columns Columns[...] (0-based).</summary>
internal sealed class CgMatrix
{
    public required int[] RowStart { get; init; }
    public required int[] Columns { get; init; }
    public required double[] Values { get; init; }

    /// <summary>The nonzeros NPB reserves room for on one rank (its nz).</summary>
    public static long Capacity(CgProblem problem, int ranks, int gridColumns)
    {
        long na = problem.Na, nonzer = problem.Nonzer;
        return na * (nonzer + 1) / ranks * (nonzer + 1) + nonzer + na * (nonzer + 2 + ranks / 256) / gridColumns;
    }

    /// <summary>NPB's makea: the matrix is the sum of na outer products of random sparse vectors
    /// (each with nonzer random entries plus 0.5 on its own index), scaled by a geometric sequence
    /// from 1 down to rcond, plus (rcond - shift) on the diagonal. Every rank draws the whole
    /// sequence from one generator and keeps the entries in its block.</summary>
    public static CgMatrix Make(CgProblem problem, CgLayout layout, int ranks, ref double tran)
    {
        int n = problem.Na;
        long capacity = Capacity(problem, ranks, layout.GridColumns);
        var rows = new int[capacity];
        var cols = new int[capacity];
        var elements = new double[capacity];
        int count = 0;

        var vector = new double[problem.Nonzer + 2];
        var index = new int[problem.Nonzer + 2];
        var marked = new bool[n + 1];
        double ratio = Math.Pow(CgProblem.Rcond, 1.0 / n);
        double size = 1.0;
        int powerOfTwo = 1;
        while (powerOfTwo < n) powerOfTwo *= 2;

        for (int outer = 1; outer <= n; outer++)
        {
            int nonzeros = RandomSparseVector(problem.Nonzer, n, powerOfTwo, vector, index, marked, ref tran);
            nonzeros = SetElement(vector, index, nonzeros, outer, 0.5);
            for (int e = 0; e < nonzeros; e++)
            {
                int column = index[e];
                if (column < layout.FirstColumn || column > layout.LastColumn) continue;
                double scale = size * vector[e];
                for (int f = 0; f < nonzeros; f++)
                {
                    int row = index[f];
                    if (row < layout.FirstRow || row > layout.LastRow) continue;
                    if (count == capacity) throw new InvalidOperationException($"CG: more than the {capacity} nonzeros NPB reserves");
                    rows[count] = row;
                    cols[count] = column;
                    elements[count++] = vector[f] * scale;
                }
            }
            size *= ratio;
        }
        for (int i = layout.FirstRow; i <= layout.LastRow; i++)
        {
            if (i < layout.FirstColumn || i > layout.LastColumn) continue;
            if (count == capacity) throw new InvalidOperationException($"CG: more than the {capacity} nonzeros NPB reserves");
            rows[count] = i;
            cols[count] = i;
            elements[count++] = CgProblem.Rcond - problem.Shift;
        }
        return Compress(layout, n, rows, cols, elements, count);
    }

    /// <summary>NPB's sprnvc: nonzer distinct random indices in 1..n with random values; an index is
    /// drawn as floor(2^k u) + 1 and redrawn when it exceeds n.</summary>
    private static int RandomSparseVector(int nonzer, int n, int powerOfTwo, double[] vector, int[] index, bool[] marked, ref double tran)
    {
        int count = 0;
        while (count < nonzer)
        {
            double value = NpbRandom.Randlc(ref tran, NpbRandom.DefaultMultiplier);
            double location = NpbRandom.Randlc(ref tran, NpbRandom.DefaultMultiplier);
            int i = (int)(powerOfTwo * location) + 1;
            if (i > n || marked[i]) continue;
            marked[i] = true;
            vector[count] = value;
            index[count++] = i;
        }
        for (int k = 0; k < count; k++) marked[index[k]] = false;
        return count;
    }

    /// <summary>NPB's vecset: sets the entry at index i to value, appending it when absent.</summary>
    private static int SetElement(double[] vector, int[] index, int count, int i, double value)
    {
        bool found = false;
        for (int k = 0; k < count; k++)
        {
            if (index[k] != i) continue;
            vector[k] = value;
            found = true;
        }
        if (found) return count;
        vector[count] = value;
        index[count] = i;
        return count + 1;
    }

    /// <summary>NPB's sparse: sorts the entries into rows (keeping their order), sums duplicates in
    /// each row in the order their columns first become nonzero, and drops zero sums.</summary>
    private static CgMatrix Compress(CgLayout layout, int n, int[] rows, int[] cols, double[] elements, int count)
    {
        int localRows = layout.LocalRows;
        var rowStart = new int[localRows + 1];
        for (int e = 0; e < count; e++) rowStart[rows[e] - layout.FirstRow + 1]++;
        for (int r = 0; r < localRows; r++) rowStart[r + 1] += rowStart[r];
        var next = rowStart[..localRows];
        var byRowColumn = new int[count];
        var byRowValue = new double[count];
        for (int e = 0; e < count; e++)
        {
            int k = next[rows[e] - layout.FirstRow]++;
            byRowColumn[k] = cols[e];
            byRowValue[k] = elements[e];
        }

        var dense = new double[n + 1];
        var marked = new bool[n + 1];
        var order = new int[n];
        var columns = new List<int>(count);
        var values = new List<double>(count);
        var start = new int[localRows + 1];
        for (int r = 0; r < localRows; r++)
        {
            int seen = 0;
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++)
            {
                int i = byRowColumn[k];
                dense[i] += byRowValue[k];
                if (!marked[i] && dense[i] != 0.0)
                {
                    marked[i] = true;
                    order[seen++] = i;
                }
            }
            for (int s = 0; s < seen; s++)
            {
                int i = order[s];
                marked[i] = false;
                double sum = dense[i];
                dense[i] = 0.0;
                if (sum == 0.0) continue;
                columns.Add(i - layout.FirstColumn);
                values.Add(sum);
            }
            start[r + 1] = columns.Count;
        }
        return new CgMatrix { RowStart = start, Columns = [.. columns], Values = [.. values] };
    }
}
