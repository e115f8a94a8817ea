using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Mg;

/// <summary>One rank's state of MG: the solution u and residual r on every level, the right-hand
/// side v on the finest, and the V-cycle (mg.f90's mg3P) over them.</summary>
internal sealed class MgSolver
{
    private readonly MgProblem _problem;
    private readonly Communicator _world;
    private readonly MgDecomposition _d;
    private readonly MgHalo _halo;
    private readonly double[] _u, _r, _v;
    private readonly double[] _smoother;
    private readonly double[] _a;
    private readonly double[] _line1, _line2, _line3;

    public MgSolver(MgProblem problem, Communicator world)
    {
        _problem = problem;
        _world = world;
        _d = new MgDecomposition(problem, world.Size, world.Rank);
        _halo = new MgHalo(_d, world);
        _u = new double[_d.TotalPoints];
        _r = new double[_d.TotalPoints];
        _v = new double[_d.Points(_d.Levels)];
        _smoother = problem.SmootherCoefficients;
        _a = MgProblem.A.ToArray();
        int longest = 0;
        for (int axis = 0; axis < 3; axis++) longest = Math.Max(longest, _d.Extent[axis, _d.Levels]);
        _line1 = new double[longest + 2];
        _line2 = new double[longest + 2];
        _line3 = new double[longest + 2];
    }

    private int Top => _d.Levels;

    private Span<double> Level(double[] field, int level) => field.AsSpan(_d.Offset[level], _d.Points(level));

    private (int N1, int N2, int N3) Extent(int level) => (_d.Extent[0, level], _d.Extent[1, level], _d.Extent[2, level]);

    /// <summary>u = 0 and v = the random right-hand side (zero3 and zran3).</summary>
    public void Initialize()
    {
        Level(_u, Top).Clear();
        MgInitialField.Fill(_v, _d, _problem, _world, _halo);
    }

    /// <summary>r = v - A u on the finest level (resid), ghosts exchanged.</summary>
    public void Residual()
    {
        var (n1, n2, n3) = Extent(Top);
        MgStencils.Residual(Level(_u, Top), _v, Level(_r, Top), n1, n2, n3, _a, _line1, _line2);
        _halo.Exchange(Level(_r, Top), Top);
    }

    /// <summary>norm2u3: the L2 norm of the finest residual over the whole grid (and, as NPB,
    /// its largest magnitude, which MG does not report).</summary>
    public double Norm()
    {
        var (n1, n2, n3) = Extent(Top);
        var r = Level(_r, Top);
        double sum = 0, largest = 0;
        for (int i3 = 1; i3 < n3 - 1; i3++)
            for (int i2 = 1; i2 < n2 - 1; i2++)
                foreach (double value in r.Slice(1 + n1 * (i2 + n2 * i3), n1 - 2))
                {
                    sum += value * value;
                    largest = Math.Max(largest, Math.Abs(value));
                }
        _world.Allreduce(largest, ReduceOp<double>.Max);
        sum = _world.Allreduce(sum, ReduceOp<double>.Sum);
        return Math.Sqrt(sum / _problem.TotalPoints);
    }

    /// <summary>mg3P: restrict the residual down to the coarsest level, smooth there, then on the
    /// way up interpolate the correction, recompute the residual and smooth on every level.</summary>
    public void VCycle()
    {
        for (int k = Top; k > 1; k--)
        {
            var (m1k, m2k, m3k) = Extent(k);
            var (m1j, m2j, m3j) = Extent(k - 1);
            MgTransfer.Restrict(Level(_r, k), m1k, m2k, m3k, Level(_r, k - 1), m1j, m2j, m3j, _line1, _line2);
            _halo.Exchange(Level(_r, k - 1), k - 1);
        }

        var (c1, c2, c3) = Extent(1);
        Level(_u, 1).Clear();
        MgStencils.Smooth(Level(_r, 1), Level(_u, 1), c1, c2, c3, _smoother, _line1, _line2);
        _halo.Exchange(Level(_u, 1), 1);

        for (int k = 2; k <= Top; k++)
        {
            var (n1, n2, n3) = Extent(k);
            var (mm1, mm2, mm3) = Extent(k - 1);
            // The finest level keeps its u and adds the correction; coarser ones start from zero.
            if (k < Top) Level(_u, k).Clear();
            MgTransfer.Interpolate(Level(_u, k - 1), mm1, mm2, mm3, Level(_u, k), n1, n2, n3, _line1, _line2, _line3);
            _halo.HandOver(Level(_u, k), k);
            var rhs = k < Top ? Level(_r, k) : _v;
            MgStencils.Residual(Level(_u, k), rhs, Level(_r, k), n1, n2, n3, _a, _line1, _line2);
            _halo.Exchange(Level(_r, k), k);
            MgStencils.Smooth(Level(_r, k), Level(_u, k), n1, n2, n3, _smoother, _line1, _line2);
            _halo.Exchange(Level(_u, k), k);
        }
    }
}
