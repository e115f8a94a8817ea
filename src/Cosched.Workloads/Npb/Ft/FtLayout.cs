namespace Cosched.Workloads.Npb.Ft;

/// <summary>How FT splits its grid over the ranks: NPB's 0-D layout on one rank (the whole grid,
/// x fastest) and its 1-D layout on several (slabs of z planes, then, after the transpose, slabs
/// of y planes with z fastest).</summary>
/// <remarks>NPB switches to a 2-D layout only when there are more ranks than z planes; Cosched
/// refuses those rank counts instead (<see cref="FtKernel.RankCountProblem"/>).</remarks>
internal sealed class FtLayout
{
    public FtLayout(FtProblem problem, int ranks, int rank)
    {
        Problem = problem;
        Ranks = ranks;
        Rank = rank;
        LocalZ = problem.Nz / ranks;
        LocalY = problem.Ny / ranks;
        ZStart = rank * LocalZ;
        YStart = rank * LocalY;
    }

    public FtProblem Problem { get; }
    public int Ranks { get; }
    public int Rank { get; }

    /// <summary>True for the 1-D layout, whose 3-D FFT needs a global transpose.</summary>
    public bool Distributed => Ranks > 1;

    /// <summary>Grid points this rank holds (NPB's ntdivnp).</summary>
    public int LocalPoints => checked((int)(Problem.TotalPoints / Ranks));

    /// <summary>This rank's z planes in the x-y-z layout (the one the checksum reads).</summary>
    public int LocalZ { get; }
    public int ZStart { get; }

    /// <summary>This rank's y planes in the transposed z-x-y layout of the 1-D decomposition.</summary>
    public int LocalY { get; }
    public int YStart { get; }
}
