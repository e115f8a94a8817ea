using Cosched.Messaging;
using Cosched.Workloads.Npb;
using Cosched.Workloads.Npb.Ep;
using CsCheck;

namespace Cosched.Workloads.Tests.Npb;

public class EpTests
{
    private static NpbResult[] RunInProcess(int ranks, NpbClass problemClass)
    {
        var results = new NpbResult[ranks];
        InProcessJob.Run(ranks, world => results[world.Rank] = new EpKernel().Run(world, problemClass));
        return results;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ClassSVerifiesAgainstNpbsPublishedSums(int ranks)
    {
        var results = RunInProcess(ranks, NpbClass.S);
        Assert.All(results, r => Assert.True(r.Verified));
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal("33554432", results[0].Size);
        Assert.Equal(ranks, results[0].Processes);
        Assert.Equal(33554432 / results[0].Seconds / 1e6, results[0].MopsTotal, 6);
    }

    [Fact]
    public void ClassWVerifiesOnThreeRanks()
    {
        // 512 batches over 3 ranks: the uneven share NPB deals must still cover every batch once.
        Assert.True(RunInProcess(3, NpbClass.W)[0].Verified);
    }

    [Fact]
    public void BatchesAreDealtContiguouslyWithTheFirstRanksTakingTheRemainder()
    {
        Gen.Select(Gen.Long[1, 1 << 20], Gen.Int[1, 1024]).Sample((batches, ranks) =>
        {
            long next = 0;
            for (int rank = 0; rank < ranks; rank++)
            {
                var (first, count) = EpKernel.Share(batches, ranks, rank);
                Assert.Equal(next, first);
                Assert.Equal(batches / ranks + (rank < batches % ranks ? 1 : 0), count);
                next = first + count;
            }
            Assert.Equal(batches, next);
        });
    }

    [Fact]
    public void VectorBatchTalliesTheSamePairsAsTheScalarLoop()
    {
        const int pairs = 1 << EpProblem.BatchLog2;
        for (long batch = 0; batch < 4; batch++)
        {
            double seed = 271828183;
            NpbRandom.Randlc(ref seed, NpbRandom.Power(NpbRandom.Power(NpbRandom.DefaultMultiplier, 2 * pairs), batch));
            var split = new double[2 * pairs];
            VectorBatch.Generate((ulong)seed, split.AsSpan(0, pairs), split.AsSpan(pairs));
            var uniforms = new double[2 * pairs];
            NpbRandom.Vranlc(uniforms, ref seed, NpbRandom.DefaultMultiplier);
            // The chains give NPB's sequence exactly, only split into first and second of each pair.
            for (int i = 0; i < pairs; i++)
                Assert.True(uniforms[2 * i] == split[i] && uniforms[2 * i + 1] == split[pairs + i], $"pair {i} differs");

            var scalarCounts = new double[10];
            var vectorCounts = new double[10];
            double scalarX = 0, scalarY = 0, vectorX = 0, vectorY = 0;
            VectorBatch.Tally(split.AsSpan(0, pairs), split.AsSpan(pairs), vectorCounts, ref vectorX, ref vectorY);
            EpKernel.TallyGaussianPairs(uniforms, scalarCounts, ref scalarX, ref scalarY);
            Assert.Equal(scalarCounts, vectorCounts);
            Assert.Equal(scalarX, vectorX, 1e-9 * scalarX);
            Assert.Equal(scalarY, vectorY, 1e-9 * scalarY);
        }
    }

    [Fact]
    public void SeriesLogarithmIsWithinAFewUlpOfLibm()
    {
        Gen.Double[1e-30, 2.0].Array[System.Numerics.Vector<double>.Count].Sample(values =>
        {
            var logs = VectorBatch.Log(new System.Numerics.Vector<double>(values));
            for (int i = 0; i < values.Length; i++)
                Assert.Equal(Math.Log(values[i]), logs[i], 4e-16 * Math.Max(1.0, Math.Abs(Math.Log(values[i]))));
        });
    }

    [Fact]
    public void TooManyRanksForTheBatchesIsRefusedNamingTheLimit()
    {
        var kernel = new EpKernel();
        Assert.Null(kernel.RankCountProblem(NpbClass.S, 256));
        Assert.Equal("EP class S has 256 batches of random numbers, so at most 256 ranks", kernel.RankCountProblem(NpbClass.S, 257));
    }
}
