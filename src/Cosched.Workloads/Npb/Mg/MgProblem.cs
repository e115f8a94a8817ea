namespace Cosched.Workloads.Npb.Mg;

/// <summary>MG's problem for one class: an n^3 periodic grid, the V-cycle count, the smoother's
/// coefficients and NPB 3.4's published residual norm (mg.f90).</summary>
internal sealed record MgProblem(NpbClass Class, int Size, int Iterations, double ReferenceNorm)
{
    /// <summary>Relative error NPB allows on the final residual norm.</summary>
    public const double Epsilon = 1.0e-8;

    /// <summary>The residual operator A's coefficients (centre, faces, edges, corners).</summary>
    public static ReadOnlySpan<double> A => [-8.0 / 3.0, 0.0, 1.0 / 6.0, 1.0 / 12.0];

    /// <summary>Levels of the V-cycle: the finest has Size points per axis, the coarsest 2.</summary>
    public int Levels => 31 - int.LeadingZeroCount(Size);

    public long TotalPoints => (long)Size * Size * Size;

    /// <summary>The smoother S's coefficients: classes S, W and A use one set, B and C another.</summary>
    public double[] SmootherCoefficients => Class is NpbClass.S or NpbClass.W or NpbClass.A
        ? [-3.0 / 8.0, 1.0 / 32.0, -1.0 / 64.0, 0.0]
        : [-3.0 / 17.0, 1.0 / 33.0, -1.0 / 61.0, 0.0];

    public static MgProblem For(NpbClass problemClass) => problemClass switch
    {
        NpbClass.S => new(problemClass, 32, 4, 0.5307707005734e-04),
        NpbClass.W => new(problemClass, 128, 4, 0.6467329375339e-05),
        NpbClass.A => new(problemClass, 256, 4, 0.2433365309069e-05),
        NpbClass.B => new(problemClass, 256, 20, 0.1800564401355e-05),
        NpbClass.C => new(problemClass, 512, 20, 0.5706732285740e-06),
        _ => throw new ArgumentOutOfRangeException(nameof(problemClass)),
    };

    public bool Verify(double norm) => NpbVerification.Within(norm, ReferenceNorm, Epsilon);

    /// <summary>NPB's operation count for MG: 58 per grid point per V-cycle, in millions.</summary>
    public double MegaOperations => 58.0e-6 * Iterations * TotalPoints;
}
