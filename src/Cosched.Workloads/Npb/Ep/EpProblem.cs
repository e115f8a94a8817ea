namespace Cosched.Workloads.Npb.Ep;

/// <summary>EP's size and published answers for one class (NPB 3.4 EP/verify.f90): 2^(M+1)
/// uniform randoms, the sums of the Gaussian deviates' magnitudes and the number of pairs kept.</summary>
/// <param name="M">log2 of the number of pairs of uniform randoms</param>
/// <param name="SumX">the expected sum of |X| over all accepted pairs</param>
/// <param name="SumY">the expected sum of |Y| over all accepted pairs</param>
/// <param name="GaussianPairs">the expected number of accepted pairs</param>
public sealed record EpProblem(int M, double SumX, double SumY, double GaussianPairs)
{
    /// <summary>NPB's verification bound on each value's relative error.</summary>
    public const double Epsilon = 1e-8;

    /// <summary>log2 of the pairs one batch generates (NPB's mk): every batch is an independent
    /// stretch of the generator's sequence, which is what makes EP parallel.</summary>
    public const int BatchLog2 = 16;

    /// <summary>The number of batches the whole problem is cut into (NPB's nn).</summary>
    public long Batches => 1L << (M - BatchLog2);

    public static EpProblem For(NpbClass problemClass) => problemClass switch
    {
        NpbClass.S => new(24, 1.051299420395306e+07, 1.051517131857535e+07, 13176389),
        NpbClass.W => new(25, 2.102505525182392e+07, 2.103162209578822e+07, 26354769),
        NpbClass.A => new(28, 1.682235632304711e+08, 1.682195123368299e+08, 210832767),
        NpbClass.B => new(30, 6.728927543423024e+08, 6.728951822504275e+08, 843345606),
        NpbClass.C => new(32, 2.691444083862931e+09, 2.691519118724585e+09, 3373275903),
        _ => throw new ArgumentOutOfRangeException(nameof(problemClass)),
    };
}
