using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Cg;

/// <summary>One rank's conjugate-gradient solver with NPB's communication: sums over the grid row
/// by pairwise exchanges (recursive doubling for scalars, recursive halving for the product's row
/// block) and the transpose exchange. Vectors are allocated once; an iteration allocates nothing.</summary>
internal sealed class CgSolver
{
    private readonly Communicator _world;
    private readonly CgLayout _layout;
    private readonly CgMatrix _matrix;
    private readonly double[] _twoValues = new double[2], _twoReceived = new double[2];

    public double[] X { get; }
    public double[] Z { get; }
    private readonly double[] _p, _q, _r, _w;

    public CgSolver(Communicator world, CgLayout layout, CgMatrix matrix)
    {
        _world = world;
        _layout = layout;
        _matrix = matrix;
        int length = layout.VectorLength;
        X = new double[length];
        Z = new double[length];
        _p = new double[length];
        _q = new double[length];
        _r = new double[length];
        _w = new double[length];
    }

    /// <summary>NPB's conj_grad: 25 CG steps on A z = x from z = 0; returns ||x - A z|| (every rank).</summary>
    public double Solve()
    {
        int columns = _layout.LocalColumns;
        int vectorEnd = _layout.VectorLength - 1; // NPB clears naa + 1 entries
        var x = X.AsSpan(0, vectorEnd);
        _q.AsSpan(0, vectorEnd).Clear();
        Z.AsSpan(0, vectorEnd).Clear();
        x.CopyTo(_r);
        x.CopyTo(_p);
        _w.AsSpan(0, vectorEnd).Clear();

        double rho = RowSum(Dot(_r, _r, columns));
        for (int step = 1; step <= CgProblem.CgSteps; step++)
        {
            Multiply(_p, _w);
            SumRowBlock(_w, _q);
            _w.AsSpan(0, Math.Max(_layout.LocalRows, columns)).Clear();
            double d = RowSum(Dot(_p, _q, columns));
            double alpha = rho / d;
            double rho0 = rho;
            Update(Z, _r, _p, _q, alpha, columns);
            rho = RowSum(Dot(_r, _r, columns));
            double beta = rho / rho0;
            Ascend(_p, _r, beta, columns);
        }

        Multiply(Z, _w);
        SumRowBlock(_w, _r);
        double sum = 0;
        for (int j = 0; j < columns; j++)
        {
            double diff = X[j] - _r[j];
            sum += diff * diff;
        }
        return Math.Sqrt(RowSum(sum));
    }

    /// <summary>The two sums NPB forms after each solve: x.z and z.z over the whole vector.</summary>
    public (double XZ, double ZZ) Norms()
    {
        int columns = _layout.LocalColumns;
        double xz = 0, zz = 0;
        for (int j = 0; j < columns; j++)
        {
            xz += X[j] * Z[j];
            zz += Z[j] * Z[j];
        }
        _twoValues[0] = xz;
        _twoValues[1] = zz;
        for (int i = 0; i < _layout.ReduceSteps; i++)
        {
            _world.Sendrecv<double>(_twoValues, _layout.ReducePartner[i], i + 1, _twoReceived, _layout.ReducePartner[i], i + 1);
            _twoValues[0] += _twoReceived[0];
            _twoValues[1] += _twoReceived[1];
        }
        return (_twoValues[0], _twoValues[1]);
    }

    /// <summary>A scalar summed over the grid row: one exchange per doubling step, as NPB does it.</summary>
    private double RowSum(double value)
    {
        for (int i = 0; i < _layout.ReduceSteps; i++)
        {
            int partner = _layout.ReducePartner[i];
            double received = 0;
            _world.Sendrecv(new ReadOnlySpan<double>(in value), partner, i + 1, new Span<double>(ref received), partner, i + 1);
            value += received;
        }
        return value;
    }

    /// <summary>Sums the product's row block over the grid row (halving the block at each step) and
    /// delivers this rank's column block into <paramref name="target"/> by the transpose exchange;
    /// <paramref name="target"/> is also the receive buffer of the halving steps, as in NPB.</summary>
    private void SumRowBlock(double[] w, double[] target)
    {
        var layout = _layout;
        for (int i = layout.ReduceSteps - 1; i >= 0; i--)
        {
            int partner = layout.ReducePartner[i];
            var receive = target.AsSpan(layout.ReduceReceiveStart[i], layout.ReduceReceiveLength[i]);
            _world.Sendrecv<double>(w.AsSpan(layout.ReduceSendStart[i], layout.ReduceSendLength[i]), partner, i + 1, receive, partner, i + 1);
            var sum = w.AsSpan(layout.SendStart, layout.ReduceReceiveLength[i]);
            for (int j = 0; j < sum.Length; j++) sum[j] += receive[j];
        }
        if (layout.ReduceSteps != 0)
            _world.Sendrecv<double>(w.AsSpan(layout.SendStart, layout.SendLength), layout.TransposePartner, 1,
                target.AsSpan(0, layout.LocalColumns), layout.TransposePartner, 1);
        else
            w.AsSpan(0, layout.LocalColumns).CopyTo(target);
    }

    /// <summary>w = A v over this rank's block, in compressed rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Multiply(double[] v, double[] w)
    {
        ref int rowStart = ref MemoryMarshal.GetArrayDataReference(_matrix.RowStart);
        ref int column = ref MemoryMarshal.GetArrayDataReference(_matrix.Columns);
        ref double value = ref MemoryMarshal.GetArrayDataReference(_matrix.Values);
        ref double source = ref MemoryMarshal.GetArrayDataReference(v);
        // Every stored column is a local column (built in CgMatrix.Compress), inside v.
        var target = w.AsSpan(0, _layout.LocalRows);
        int k = rowStart;
        for (int row = 0; row < target.Length; row++)
        {
            int end = Unsafe.Add(ref rowStart, row + 1);
            double sum = 0;
            for (; k < end; k++)
                sum += Unsafe.Add(ref value, k) * Unsafe.Add(ref source, Unsafe.Add(ref column, k));
            target[row] = sum;
        }
    }

    private static double Dot(double[] a, double[] b, int length)
    {
        var left = a.AsSpan(0, length);
        var right = b.AsSpan(0, length);
        double sum = 0;
        for (int j = 0; j < left.Length; j++) sum += left[j] * right[j];
        return sum;
    }

    /// <summary>z += alpha p, r -= alpha q.</summary>
    private static void Update(double[] z, double[] r, double[] p, double[] q, double alpha, int length)
    {
        var zs = z.AsSpan(0, length);
        var rs = r.AsSpan(0, length);
        var ps = p.AsSpan(0, length);
        var qs = q.AsSpan(0, length);
        for (int j = 0; j < zs.Length; j++)
        {
            zs[j] += alpha * ps[j];
            rs[j] -= alpha * qs[j];
        }
    }

    /// <summary>p = r + beta p.</summary>
    private static void Ascend(double[] p, double[] r, double beta, int length)
    {
        var ps = p.AsSpan(0, length);
        var rs = r.AsSpan(0, length);
        for (int j = 0; j < ps.Length; j++) ps[j] = rs[j] + beta * ps[j];
    }
}
