using System.Numerics;
using CsCheck;

namespace Cosched.Messaging.Tests.Collectives;

/// <summary>The built-in operators' vector loops agree with plain scalar arithmetic for every length
/// (whole vectors, tails, empty) and element type.</summary>
public class ReduceOpTests
{
    private static void Agrees<T>(Gen<T> element, ReduceOp<T> op, Func<T, T, T> scalar) where T : unmanaged
    {
        Gen.Int[0, 3 * Vector<byte>.Count + 5]
            .SelectMany(n => Gen.Select(element.Array[n], element.Array[n]))
            .Sample((input, inout) =>
            {
                var expected = new T[inout.Length];
                for (int i = 0; i < expected.Length; i++) expected[i] = scalar(input[i], inout[i]);
                op.Apply(input, inout);
                Assert.Equal(expected, inout);
            }, iter: 300);
    }

    [Fact]
    public void IntOperatorsMatchScalarArithmetic()
    {
        foreach (var c in Kit.IntOps()) Agrees(Gen.Int, c.Op, c.Scalar);
    }

    [Fact]
    public void LongAndDoubleOperatorsMatchScalarArithmetic()
    {
        foreach (var c in Kit.LongOps()) Agrees(Gen.Long, c.Op, c.Scalar);
        Agrees(Gen.Long, ReduceOp<long>.Min, Math.Min);
        Agrees(Gen.Long, ReduceOp<long>.Xor, (a, b) => a ^ b);
        // Small integers keep sums and products exact, so the comparison can be exact too.
        var smallDoubles = Gen.Int[-1000, 1000].Select(i => i / 4.0);
        foreach (var c in Kit.DoubleOps()) Agrees(smallDoubles, c.Op, c.Scalar);
        Agrees(Gen.Int[-1000, 1000].Select(i => i / 4f), ReduceOp<float>.Sum, (a, b) => a + b);
        Agrees(Gen.Float, ReduceOp<float>.Max, MathF.Max);
    }

    [Fact]
    public void NarrowIntegerOperatorsWrapAndMatchScalarArithmetic()
    {
        foreach (var c in Kit.ByteOps()) Agrees(Gen.Byte, c.Op, c.Scalar);
        Agrees(Gen.Byte, ReduceOp<byte>.Prod, (a, b) => unchecked((byte)(a * b)));
        Agrees(Gen.Byte, ReduceOp<byte>.Min, (a, b) => Math.Min(a, b));
        Agrees(Gen.SByte, ReduceOp<sbyte>.Max, (a, b) => Math.Max(a, b));
        Agrees(Gen.Short, ReduceOp<short>.Sum, (a, b) => unchecked((short)(a + b)));
        Agrees(Gen.UShort, ReduceOp<ushort>.Min, (a, b) => Math.Min(a, b));
        Agrees(Gen.UInt, ReduceOp<uint>.Max, Math.Max);
        Agrees(Gen.ULong, ReduceOp<ulong>.Sum, (a, b) => a + b);
    }

    [Fact]
    public void BuiltInsSayWhatTheyAre()
    {
        Assert.True(ReduceOp<int>.Sum.IsCommutative);
        Assert.Equal("max", ReduceOp<double>.Max.Name);
        Assert.Same(ReduceOp<int>.Sum, ReduceOp<int>.Sum);
        Assert.False(Kit.MatrixProduct.Op.IsCommutative);
    }

    [Fact]
    public void UnsupportedTypesGetAClearError()
    {
        var notNumeric = Assert.Throws<NotSupportedException>(() => ReduceOp<Mat2>.Sum);
        Assert.Contains("Mat2", notNumeric.Message);
        Assert.Throws<NotSupportedException>(() => ReduceOp<Half>.Max);
        var notInteger = Assert.Throws<NotSupportedException>(() => ReduceOp<double>.Xor);
        Assert.Contains("integer", notInteger.Message);
        Assert.Throws<ArgumentNullException>(() => new ReduceOp<int>(null!, true));
        Assert.Throws<ArgumentException>(() => ReduceOp<int>.Sum.Apply(new int[2], new int[3]));
    }

    [Fact]
    public void UserOperatorsSeeTheLowerRanksAsInput()
    {
        var op = new ReduceOp<int>((input, inout) =>
        {
            for (int i = 0; i < inout.Length; i++) inout[i] = input[i] * 10 + inout[i];
        }, isCommutative: false);
        int[] inout = [2, 3];
        op.Apply([1, 4], inout);
        Assert.Equal([12, 43], inout);
    }
}
