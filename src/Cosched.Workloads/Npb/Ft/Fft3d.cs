using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Ft;

/// <summary>FT's distributed 3-D FFT (ft.f90's fft): 1-D transforms along each axis in blocks of
/// <see cref="StockhamFft.Lanes"/> lines, with NPB's all-to-all transpose between the z slabs and the
/// y slabs when the grid is split over ranks.</summary>
/// <remarks>Arrays hold complex numbers interleaved (re, im), as Fortran's double complex does.</remarks>
internal sealed class Fft3d
{
    private const int Lanes = StockhamFft.Lanes;
    private const int TransposeBlock = 32; // NPB's transblock

    private readonly FtLayout _layout;
    private readonly Communicator _world;
    private readonly StockhamFft _fft;
    private readonly double[] _re, _im, _workRe, _workIm;
    private readonly Complex[] _tile = new Complex[TransposeBlock * (TransposeBlock + 1)];

    public Fft3d(FtLayout layout, Communicator world)
    {
        _layout = layout;
        _world = world;
        var p = layout.Problem;
        int longest = Math.Max(p.Nx, Math.Max(p.Ny, p.Nz));
        _fft = new StockhamFft(longest);
        _re = new double[Lanes * longest];
        _im = new double[Lanes * longest];
        _workRe = new double[Lanes * longest];
        _workIm = new double[Lanes * longest];
    }

    /// <summary>Recomputes the roots of unity (NPB's fft_init, part of the timed setup).</summary>
    public void Initialize() => _fft.ComputeRoots();

    /// <summary>Forward transform of <paramref name="x1"/> (x-y-z layout, destroyed) into
    /// <paramref name="x2"/> (z-x-y layout when distributed, x-y-z otherwise).</summary>
    public void Forward(double[] x1, double[] x2)
    {
        var p = _layout.Problem;
        if (!_layout.Distributed)
        {
            AlongFirstAxis(1, x1, x1, p.Nx, p.Ny, p.Nz);
            AlongStridedAxis(1, x1, x1, p.Nx, outer: p.Nz, outerStride: p.Nx * p.Ny, stride: p.Nx, length: p.Ny);
            AlongStridedAxis(1, x1, x2, p.Nx, outer: p.Ny, outerStride: p.Nx, stride: p.Nx * p.Ny, length: p.Nz);
            return;
        }
        int localZ = _layout.LocalZ;
        AlongFirstAxis(1, x1, x1, p.Nx, p.Ny, localZ);
        AlongStridedAxis(1, x1, x1, p.Nx, outer: localZ, outerStride: p.Nx * p.Ny, stride: p.Nx, length: p.Ny);
        Transpose(p.Nx * p.Ny, localZ, x1, x2);
        AlongFirstAxis(1, x2, x2, p.Nz, p.Nx, _layout.LocalY);
    }

    /// <summary>Backward transform of <paramref name="x1"/> (the layout <see cref="Forward"/> produces,
    /// destroyed) into <paramref name="x2"/> (x-y-z layout).</summary>
    public void Inverse(double[] x1, double[] x2)
    {
        var p = _layout.Problem;
        if (!_layout.Distributed)
        {
            AlongStridedAxis(-1, x1, x1, p.Nx, outer: p.Ny, outerStride: p.Nx, stride: p.Nx * p.Ny, length: p.Nz);
            AlongStridedAxis(-1, x1, x1, p.Nx, outer: p.Nz, outerStride: p.Nx * p.Ny, stride: p.Nx, length: p.Ny);
            AlongFirstAxis(-1, x1, x2, p.Nx, p.Ny, p.Nz);
            return;
        }
        int localZ = _layout.LocalZ;
        AlongFirstAxis(-1, x1, x1, p.Nz, p.Nx, _layout.LocalY);
        Transpose(p.Nz, p.Nx * _layout.LocalY, x1, x2);
        AlongStridedAxis(-1, x2, x2, p.Nx, outer: localZ, outerStride: p.Nx * p.Ny, stride: p.Nx, length: p.Ny);
        AlongFirstAxis(-1, x2, x2, p.Nx, p.Ny, localZ);
    }

    /// <summary>cffts1: transforms along the contiguous first axis of a d1 x d2 x d3 array, Lanes lines
    /// at a time (lines j..j+15 of one plane).</summary>
    private void AlongFirstAxis(int direction, double[] source, double[] target, int d1, int d2, int d3)
    {
        int log = StockhamFft.Log2(d1);
        int size = Lanes * d1;
        Span<double> re = _re.AsSpan(0, size), im = _im.AsSpan(0, size);
        var src = MemoryMarshal.Cast<double, Complex>(source.AsSpan());
        var dst = MemoryMarshal.Cast<double, Complex>(target.AsSpan());
        for (int k = 0; k < d3; k++)
        {
            for (int jj = 0; jj < d2; jj += Lanes)
            {
                int first = d1 * (jj + d2 * k);
                for (int lane = 0; lane < Lanes; lane++)
                {
                    var line = src.Slice(first + lane * d1, d1);
                    for (int t = 0; t < line.Length; t++)
                    {
                        re[lane + Lanes * t] = line[t].Real;
                        im[lane + Lanes * t] = line[t].Imaginary;
                    }
                }
                _fft.Transform(direction, log, re, im, _workRe, _workIm);
                for (int lane = 0; lane < Lanes; lane++)
                {
                    var line = dst.Slice(first + lane * d1, d1);
                    for (int t = 0; t < line.Length; t++)
                        line[t] = new Complex(re[lane + Lanes * t], im[lane + Lanes * t]);
                }
            }
        }
    }

    /// <summary>cffts2 and cffts3: transforms lines of <paramref name="length"/> points spaced
    /// <paramref name="stride"/> apart, taking Lanes neighbouring lines (consecutive along the first
    /// axis, of width <paramref name="d1"/>) at a time, in each of <paramref name="outer"/> slices.</summary>
    private void AlongStridedAxis(int direction, double[] source, double[] target, int d1, int outer, int outerStride, int stride, int length)
    {
        int log = StockhamFft.Log2(length);
        int size = Lanes * length;
        Span<double> re = _re.AsSpan(0, size), im = _im.AsSpan(0, size);
        for (int o = 0; o < outer; o++)
        {
            for (int ii = 0; ii < d1; ii += Lanes)
            {
                int first = ii + outerStride * o;
                for (int t = 0; t < length; t++)
                    Split(source.AsSpan(2 * (first + stride * t), 2 * Lanes), re.Slice(Lanes * t, Lanes), im.Slice(Lanes * t, Lanes));
                _fft.Transform(direction, log, re, im, _workRe, _workIm);
                for (int t = 0; t < length; t++)
                    Join(re.Slice(Lanes * t, Lanes), im.Slice(Lanes * t, Lanes), target.AsSpan(2 * (first + stride * t), 2 * Lanes));
            }
        }
    }

    // Permute4x64 control that orders [x0 x2 x1 x3] back to [x0 x1 x2 x3] (and the reverse).
    private const byte SwapMiddle = 0b11_01_10_00;

    /// <summary>Lanes interleaved complex numbers into their real and imaginary parts.</summary>
    private static void Split(ReadOnlySpan<double> points, Span<double> re, Span<double> im)
    {
        if (points.Length < 2 * Lanes || re.Length < Lanes || im.Length < Lanes) throw new ArgumentException("short FFT row");
        if (!Avx2.IsSupported)
        {
            for (int lane = 0; lane < Lanes; lane++)
            {
                re[lane] = points[2 * lane];
                im[lane] = points[2 * lane + 1];
            }
            return;
        }
        ref double p = ref MemoryMarshal.GetReference(points);
        ref double r = ref MemoryMarshal.GetReference(re);
        ref double i = ref MemoryMarshal.GetReference(im);
        for (nuint lane = 0; lane < Lanes; lane += 4)
        {
            var a = Vector256.LoadUnsafe(ref p, 2 * lane);     // r0 i0 r1 i1
            var b = Vector256.LoadUnsafe(ref p, 2 * lane + 4); // r2 i2 r3 i3
            Avx2.Permute4x64(Avx.UnpackLow(a, b), SwapMiddle).StoreUnsafe(ref r, lane);
            Avx2.Permute4x64(Avx.UnpackHigh(a, b), SwapMiddle).StoreUnsafe(ref i, lane);
        }
    }

    /// <summary>The inverse of <see cref="Split"/>.</summary>
    private static void Join(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> points)
    {
        if (points.Length < 2 * Lanes || re.Length < Lanes || im.Length < Lanes) throw new ArgumentException("short FFT row");
        if (!Avx2.IsSupported)
        {
            for (int lane = 0; lane < Lanes; lane++)
            {
                points[2 * lane] = re[lane];
                points[2 * lane + 1] = im[lane];
            }
            return;
        }
        ref double p = ref MemoryMarshal.GetReference(points);
        ref double r = ref MemoryMarshal.GetReference(re);
        ref double i = ref MemoryMarshal.GetReference(im);
        for (nuint lane = 0; lane < Lanes; lane += 4)
        {
            var real = Avx2.Permute4x64(Vector256.LoadUnsafe(ref r, lane), SwapMiddle); // r0 r2 r1 r3
            var imaginary = Avx2.Permute4x64(Vector256.LoadUnsafe(ref i, lane), SwapMiddle);
            Avx.UnpackLow(real, imaginary).StoreUnsafe(ref p, 2 * lane);
            Avx.UnpackHigh(real, imaginary).StoreUnsafe(ref p, 2 * lane + 4);
        }
    }

    /// <summary>NPB's transpose_xy_z / transpose_x_yz: the local n1 x n2 array in x1 becomes, on every
    /// rank, its share of the global transpose in x2 (local transpose, all-to-all, reassembly);
    /// x1 is used as the receive buffer.</summary>
    private void Transpose(int n1, int n2, double[] x1, double[] x2)
    {
        var a = MemoryMarshal.Cast<double, Complex>(x1.AsSpan());
        var b = MemoryMarshal.Cast<double, Complex>(x2.AsSpan());
        TransposeLocal(n1, n2, a, b);
        _world.Alltoall<double>(x2, x1);
        // Block p (from rank p) is an n2 x (n1/np) array; rank p's n2 values go to rows p*n2..
        int ranks = _layout.Ranks, columns = n1 / ranks;
        for (int p = 0; p < ranks; p++)
            for (int j = 0; j < columns; j++)
                a.Slice(n2 * (j + columns * p), n2).CopyTo(b.Slice(p * n2 + n2 * ranks * j, n2));
    }

    /// <summary>transpose2_local: output[j + n2 i] = input[i + n1 j], a tile at a time through a
    /// padded buffer (NPB's z), so that input and output are both read and written in runs.</summary>
    /// <remarks>With power-of-two strides the rows of one tile share cache sets; touching each row
    /// once, in one run, keeps them from evicting each other between uses.</remarks>
    private void TransposeLocal(int n1, int n2, ReadOnlySpan<Complex> input, Span<Complex> output)
    {
        const int pitch = TransposeBlock + 1;
        Span<Complex> tile = _tile;
        for (int j0 = 0; j0 < n2; j0 += TransposeBlock)
        {
            int tj = Math.Min(TransposeBlock, n2 - j0);
            for (int i0 = 0; i0 < n1; i0 += TransposeBlock)
            {
                int ti = Math.Min(TransposeBlock, n1 - i0);
                for (int jj = 0; jj < tj; jj++)
                {
                    var run = input.Slice(i0 + n1 * (j0 + jj), ti);
                    for (int ii = 0; ii < run.Length; ii++) tile[ii * pitch + jj] = run[ii];
                }
                for (int ii = 0; ii < ti; ii++)
                    tile.Slice(ii * pitch, tj).CopyTo(output.Slice(j0 + n2 * (i0 + ii), tj));
            }
        }
    }
}
