namespace Cosched.Workloads.Npb.Cg;

/// <summary>CG's size for one class and its published answer (NPB 3.4 CG/cg.f90): an na x na random
/// sparse symmetric matrix with about nonzer^2 nonzeros per row, niter outer iterations of the
/// inverse power method, each solving by 25 conjugate-gradient steps, and the final eigenvalue
/// estimate zeta.</summary>
public sealed record CgProblem(int Na, int Nonzer, int Niter, double Shift, double Zeta)
{
    /// <summary>NPB's verification bound on zeta's relative error.</summary>
    public const double Epsilon = 1e-10;

    /// <summary>Conjugate-gradient steps per outer iteration (NPB's cgitmax).</summary>
    public const int CgSteps = 25;

    /// <summary>The smallest eigenvalue bound NPB builds into the matrix (rcond).</summary>
    public const double Rcond = 0.1;

    /// <summary>Floating-point operations NPB counts for the whole timed run.</summary>
    public double Operations
    {
        get
        {
            double perRow = Nonzer * (Nonzer + 1.0);
            return 2.0 * Niter * Na * (3.0 + perRow + 25.0 * (5.0 + perRow) + 3.0);
        }
    }

    public static CgProblem For(NpbClass problemClass) => problemClass switch
    {
        NpbClass.S => new(1400, 7, 15, 10, 8.5971775078648),
        NpbClass.W => new(7000, 8, 15, 12, 10.362595087124),
        NpbClass.A => new(14000, 11, 15, 20, 17.130235054029),
        NpbClass.B => new(75000, 13, 75, 60, 22.712745482631),
        NpbClass.C => new(150000, 15, 75, 110, 28.973605592845),
        _ => throw new ArgumentOutOfRangeException(nameof(problemClass)),
    };
}
