using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cosched.Workloads.Npb.Ft;

/// <summary>NPB FT's one-dimensional FFT (cfftz/fftz2): a Stockham autosort radix-2 transform,
/// two passes at a time between two buffers, applied to <see cref="Lanes"/> sequences at once so
/// every butterfly is a run of vector operations across the sequences.</summary>
/// <remarks>A block holds its sequences split into real and imaginary parts, point-major: point t
/// of sequence j is at j + Lanes * t. NPB keeps the block interleaved and padded; split parts let
/// the complex multiply by a root be plain vector multiply-adds.</remarks>
internal sealed class StockhamFft
{
    /// <summary>Sequences transformed together (NPB's fftblock).</summary>
    public const int Lanes = 16;

    private readonly int _maxLog;
    // Roots of unity as NPB's fft_init lays them out: entry ln + k is exp(i pi k / ln), k < ln.
    private readonly double[] _rootRe, _rootIm;

    public StockhamFft(int maxLength)
    {
        _maxLog = Log2(maxLength);
        _rootRe = new double[Math.Max(2, maxLength)];
        _rootIm = new double[Math.Max(2, maxLength)];
        ComputeRoots();
    }

    /// <summary>Fills the table of roots (fft_init); NPB counts this inside its timed region.</summary>
    public void ComputeRoots()
    {
        for (int ln = 1; ln < 1 << _maxLog; ln *= 2)
        {
            double step = Math.PI / ln;
            for (int k = 0; k < ln; k++)
            {
                double angle = k * step;
                _rootRe[ln + k] = Math.Cos(angle);
                _rootIm[ln + k] = Math.Sin(angle);
            }
        }
    }

    /// <summary>log2 of a power of two.</summary>
    public static int Log2(int n) => n <= 1 ? 0 : 31 - int.LeadingZeroCount(n);

    /// <summary>Transforms the Lanes sequences of length 2^<paramref name="log"/> in (re, im) in place,
    /// forward for <paramref name="direction"/> 1 and backward (unscaled) for -1; (workRe, workIm) are
    /// scratch of the same size.</summary>
    public void Transform(int direction, int log, Span<double> re, Span<double> im, Span<double> workRe, Span<double> workIm)
    {
        if (log < 1 || log > _maxLog) throw new ArgumentOutOfRangeException(nameof(log));
        int size = Lanes << log;
        if (re.Length < size || im.Length < size || workRe.Length < size || workIm.Length < size)
            throw new ArgumentException("FFT block smaller than the transform");
        for (int pass = 1; pass <= log; pass += 2)
        {
            Pass(direction, pass, log, re, im, workRe, workIm);
            if (pass == log)
            {
                workRe[..size].CopyTo(re);
                workIm[..size].CopyTo(im);
                return;
            }
            Pass(direction, pass + 1, log, workRe, workIm, re, im);
        }
    }

    /// <summary>One Stockham pass (fftz2): butterflies of span 2^(pass-1) from x into y.</summary>
    private void Pass(int direction, int pass, int log, Span<double> xRe, Span<double> xIm, Span<double> yRe, Span<double> yIm)
    {
        int half = (1 << log) / 2;
        int span = 1 << (pass - 1);   // lk: consecutive points sharing one root
        int groups = 1 << (log - pass); // li
        int run = span * Lanes;         // doubles per group that share the root
        ref double xr = ref MemoryMarshal.GetReference(xRe), xi = ref MemoryMarshal.GetReference(xIm);
        ref double yr = ref MemoryMarshal.GetReference(yRe), yi = ref MemoryMarshal.GetReference(yIm);
        double sign = direction >= 1 ? 1.0 : -1.0;
        for (int g = 0; g < groups; g++)
        {
            var ur = Vector256.Create(_rootRe[groups + g]);
            var ui = Vector256.Create(sign * _rootIm[groups + g]);
            nuint x1 = (nuint)(g * run), x2 = (nuint)((g * span + half) * Lanes);
            nuint y1 = (nuint)(g * 2 * run), y2 = y1 + (nuint)run;
            for (nuint v = 0; v < (nuint)run; v += (nuint)Vector256<double>.Count)
            {
                var ar = Vector256.LoadUnsafe(ref xr, x1 + v);
                var ai = Vector256.LoadUnsafe(ref xi, x1 + v);
                var br = Vector256.LoadUnsafe(ref xr, x2 + v);
                var bi = Vector256.LoadUnsafe(ref xi, x2 + v);
                (ar + br).StoreUnsafe(ref yr, y1 + v);
                (ai + bi).StoreUnsafe(ref yi, y1 + v);
                var dr = ar - br;
                var di = ai - bi;
                (ur * dr - ui * di).StoreUnsafe(ref yr, y2 + v);
                (ur * di + ui * dr).StoreUnsafe(ref yi, y2 + v);
            }
        }
    }
}
