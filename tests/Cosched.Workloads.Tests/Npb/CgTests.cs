using Cosched.Messaging;
using Cosched.Workloads.Npb;
using Cosched.Workloads.Npb.Cg;

namespace Cosched.Workloads.Tests.Npb;

public class CgTests
{
    private static NpbResult[] RunInProcess(int ranks, NpbClass problemClass)
    {
        var results = new NpbResult[ranks];
        InProcessJob.Run(ranks, world => results[world.Rank] = new CgKernel().Run(world, problemClass));
        return results;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // a 1 x 2 grid: row reduction, transpose with itself
    [InlineData(4)] // 2 x 2: square grid
    [InlineData(8)] // 2 x 4: the pairs of column ranks split a block
    public void ClassSFindsNpbsZeta(int ranks)
    {
        var results = RunInProcess(ranks, NpbClass.S);
        Assert.All(results, r => Assert.True(r.Verified));
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal("1400", results[0].Size);
        Assert.Equal(15, results[0].Iterations);
    }

    [Fact]
    public void ClassWFindsNpbsZetaOnTwoRanks() => Assert.True(RunInProcess(2, NpbClass.W)[0].Verified);

    [Theory]
    [InlineData(1400, 16)] // na not divisible by the grid's columns: NPB's uneven blocks
    [InlineData(1400, 32)]
    [InlineData(1400, 128)] // uneven and not square: two column ranks split each block
    [InlineData(14000, 8)]
    public void GridBlocksCoverEveryRowAndColumnOnce(int na, int ranks)
    {
        var layouts = Enumerable.Range(0, ranks).Select(rank => new CgLayout(na, ranks, rank)).ToArray();
        var grid = layouts[0];
        Assert.True(grid.GridColumns == grid.GridRows || grid.GridColumns == 2 * grid.GridRows);
        for (int row = 0; row < grid.GridRows; row++)
        {
            var inRow = layouts.Skip(row * grid.GridColumns).Take(grid.GridColumns).ToArray();
            // Within a grid row, every rank holds the same rows and the columns tile 1..na.
            Assert.All(inRow, l => Assert.Equal((inRow[0].FirstRow, inRow[0].LastRow), (l.FirstRow, l.LastRow)));
            Assert.Equal(Enumerable.Range(1, na), inRow.SelectMany(l => Enumerable.Range(l.FirstColumn, l.LocalColumns)));
        }
        Assert.Equal(Enumerable.Range(1, na), layouts.Where((_, i) => i % grid.GridColumns == 0).SelectMany(l => Enumerable.Range(l.FirstRow, l.LocalRows)));
        // The transpose is a pairing: partner of partner is self.
        Assert.All(layouts.Select((l, rank) => (l, rank)), p => Assert.Equal(p.rank, layouts[p.l.TransposePartner].TransposePartner));
    }

    [Fact]
    public void RanksThatAreNotAPowerOfTwoAreRefused()
    {
        Assert.Equal("CG needs a power-of-two rank count", new CgKernel().RankCountProblem(NpbClass.S, 6));
        Assert.Null(new CgKernel().RankCountProblem(NpbClass.S, 16));
    }
}
