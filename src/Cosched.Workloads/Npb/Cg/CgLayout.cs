namespace Cosched.Workloads.Npb.Cg;

/// <summary>NPB CG's decomposition of the matrix over a grid of ranks (rows x columns, columns = rows
/// or 2 rows) and the partners of its exchanges: a recursive-halving reduction of each row block
/// across the grid row, then a transpose exchange that turns the summed row block into the column
/// block the next product needs. Row and column numbers are NPB's, 1-based and inclusive; starts
/// into local vectors are 0-based.</summary>
internal sealed class CgLayout
{
    public int GridRows { get; }
    public int GridColumns { get; }
    public int FirstRow { get; }
    public int LastRow { get; }
    public int FirstColumn { get; }
    public int LastColumn { get; }

    public int LocalRows => LastRow - FirstRow + 1;
    public int LocalColumns => LastColumn - FirstColumn + 1;

    /// <summary>Where this rank's part of the summed row block starts, and its length: what it sends in the transpose.</summary>
    public int SendStart { get; }
    public int SendLength { get; }
    public int TransposePartner { get; }

    /// <summary>Steps of the row reduction (log2 of the grid's columns); step i pairs with ReducePartner[i].</summary>
    public int ReduceSteps { get; }
    public int[] ReducePartner { get; }
    public int[] ReduceSendStart { get; }
    public int[] ReduceSendLength { get; }
    public int[] ReduceReceiveStart { get; }
    public int[] ReduceReceiveLength { get; }

    /// <summary>Length of NPB's local vectors (naa + 2).</summary>
    public int VectorLength { get; }

    public CgLayout(int na, int ranks, int rank)
    {
        int log2 = int.Log2(ranks);
        GridRows = 1 << (log2 / 2);
        GridColumns = 1 << (log2 - log2 / 2);
        VectorLength = na / GridRows + 2;
        int procRow = rank / GridColumns, procCol = rank - procRow * GridColumns;
        bool square = GridRows == GridColumns;

        int firstRow, lastRow, firstCol, lastCol;
        if (na / GridColumns * GridColumns == na)
        {
            int colSize = na / GridColumns;
            firstCol = procCol * colSize + 1;
            lastCol = firstCol - 1 + colSize;
            int rowSize = na / GridRows;
            firstRow = procRow * rowSize + 1;
            lastRow = firstRow - 1 + rowSize;
        }
        else
        {
            (firstRow, lastRow) = Block(na, GridRows, procRow);
            if (square)
                (firstCol, lastCol) = Block(na, GridColumns, procCol);
            else
            {
                // Two column ranks share one block of a half-width grid, the even one taking the larger half.
                (firstCol, lastCol) = Block(na, GridColumns / 2, procCol / 2);
                int colSize = lastCol - firstCol + 1;
                if (rank % 2 == 0) lastCol = firstCol - 1 + (colSize - 1) / 2 + 1;
                else
                {
                    firstCol = firstCol + (colSize - 1) / 2 + 1;
                    lastCol = firstCol - 1 + colSize / 2;
                }
            }
        }
        (FirstRow, LastRow, FirstColumn, LastColumn) = (firstRow, lastRow, firstCol, lastCol);

        int rows = lastRow - firstRow + 1;
        int sendStart;
        if (square)
        {
            sendStart = 1;
            SendLength = rows;
            TransposePartner = rank % GridRows * GridRows + rank / GridRows;
        }
        else
        {
            sendStart = rank % 2 == 0 ? 1 : (1 + rows) / 2 + 1;
            SendLength = rank % 2 == 0 ? (1 + rows) / 2 : rows / 2;
            TransposePartner = 2 * (rank / 2 % GridRows * GridRows + rank / 2 / GridRows) + rank % 2;
        }
        SendStart = sendStart - 1;

        ReduceSteps = int.Log2(GridColumns);
        ReducePartner = new int[ReduceSteps];
        ReduceSendStart = new int[ReduceSteps];
        ReduceSendLength = new int[ReduceSteps];
        ReduceReceiveStart = new int[ReduceSteps];
        ReduceReceiveLength = new int[ReduceSteps];
        int divFactor = GridColumns;
        for (int i = 0; i < ReduceSteps; i++)
        {
            int j = (procCol + divFactor / 2) % divFactor + procCol / divFactor * divFactor;
            ReducePartner[i] = procRow * GridColumns + j;
            divFactor /= 2;
        }
        for (int i = ReduceSteps - 1; i >= 0; i--)
        {
            if (square)
            {
                ReduceSendStart[i] = SendStart;
                ReduceSendLength[i] = SendLength;
                ReduceReceiveLength[i] = rows;
            }
            else
            {
                ReduceReceiveLength[i] = SendLength;
                if (i == ReduceSteps - 1)
                {
                    // The last step halves the row block between the two ranks of a column pair.
                    ReduceSendLength[i] = rows - SendLength;
                    ReduceSendStart[i] = rank % 2 == 0 ? SendStart + SendLength : 0;
                }
                else
                {
                    ReduceSendLength[i] = SendLength;
                    ReduceSendStart[i] = SendStart;
                }
            }
            ReduceReceiveStart[i] = SendStart;
        }
    }

    /// <summary>NPB's block of an uneven split: the first (na mod parts) parts take one more.</summary>
    private static (int First, int Last) Block(int na, int parts, int part)
    {
        int extra = na - na / parts * parts;
        int size = na / parts + (part < extra ? 1 : 0);
        int first = part < extra ? part * size + 1 : extra * (size + 1) + (part - extra) * size + 1;
        return (first, first - 1 + size);
    }
}
