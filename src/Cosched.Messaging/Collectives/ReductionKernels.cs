using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosched.Messaging;

/// <summary>One element-wise operation on whole SIMD vectors; the kernels are specialised per operator
/// and element type, so each built-in reduction is a straight vector loop.</summary>
internal interface IVectorOperator
{
    static abstract Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged;
}

internal readonly struct SumOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => input + inout;
}

internal readonly struct ProductOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => input * inout;
}

internal readonly struct MinOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => Vector.Min(input, inout);
}

internal readonly struct MaxOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => Vector.Max(input, inout);
}

internal readonly struct AndOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => input & inout;
}

internal readonly struct OrOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => input | inout;
}

internal readonly struct XorOperator : IVectorOperator
{
    public static Vector<T> Invoke<T>(Vector<T> input, Vector<T> inout) where T : unmanaged => input ^ inout;
}

/// <summary>The vectorised loops behind the built-in reduction operators.</summary>
internal static class ReductionKernels
{
    /// <summary>inout[i] = input[i] op inout[i]: whole vectors, then the tail through one padded vector
    /// (so a one-element reduction costs one vector operation and two tiny copies, with no scalar
    /// arithmetic to keep consistent with the vector path).</summary>
    public static void Apply<TOp, T>(ReadOnlySpan<T> input, Span<T> inout)
        where TOp : IVectorOperator where T : unmanaged
    {
        int n = inout.Length, width = Vector<T>.Count, i = 0;
        ref T a = ref MemoryMarshal.GetReference(input);
        ref T b = ref MemoryMarshal.GetReference(inout);
        for (; i <= n - width; i += width)
        {
            var x = Vector.LoadUnsafe(ref a, (nuint)i);
            var y = Vector.LoadUnsafe(ref b, (nuint)i);
            TOp.Invoke(x, y).StoreUnsafe(ref b, (nuint)i);
        }
        int tail = n - i;
        if (tail == 0) return;
        Vector<T> tx = default, ty = default;
        var sx = MemoryMarshal.CreateSpan(ref Unsafe.As<Vector<T>, T>(ref tx), width);
        var sy = MemoryMarshal.CreateSpan(ref Unsafe.As<Vector<T>, T>(ref ty), width);
        input.Slice(i, tail).CopyTo(sx);
        inout.Slice(i, tail).CopyTo(sy);
        ty = TOp.Invoke(tx, ty);
        sy[..tail].CopyTo(inout.Slice(i, tail));
    }
}
