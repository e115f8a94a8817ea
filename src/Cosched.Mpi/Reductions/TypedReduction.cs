using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>A reduction to run once the element type is known: <see cref="TypedReduction.Dispatch"/>
/// finds the C# type behind the MPI datatype and the operator for it, and calls <see cref="Run"/>.</summary>
internal interface IReduction
{
    void Run<T>(ReduceOp<T> op) where T : unmanaged;
}

internal static class TypedReduction
{
    /// <summary>Runs <paramref name="call"/> with the typed operator for <paramref name="op"/> on
    /// <paramref name="type"/> (predefined, or contiguous of one primitive); MPI_ERR_OP when the
    /// operator is not defined for the type (MPI_BAND on doubles, MPI_MINLOC on plain values).</summary>
    public static void Dispatch<TCall>(Datatype type, int op, ref TCall call) where TCall : struct, IReduction
    {
        if (!type.IsPredefined && (!type.IsContiguous || type.Basic == Primitive.Mixed))
            throw new MpiException(ErrorClass.Type, $"{Operations.Name(op)} needs a predefined datatype (or a contiguous one of a single type), not {type.Name}");
        switch (type.Basic)
        {
            case Primitive.Int8: call.Run(Numeric<sbyte>(op, type)); break;
            case Primitive.UInt8: call.Run(Numeric<byte>(op, type)); break;
            case Primitive.Int16: call.Run(Numeric<short>(op, type)); break;
            case Primitive.UInt16: call.Run(Numeric<ushort>(op, type)); break;
            case Primitive.Int32: call.Run(Numeric<int>(op, type)); break;
            case Primitive.UInt32: call.Run(Numeric<uint>(op, type)); break;
            case Primitive.Int64: call.Run(Numeric<long>(op, type)); break;
            case Primitive.UInt64: call.Run(Numeric<ulong>(op, type)); break;
            case Primitive.Float: call.Run(Numeric<float>(op, type)); break;
            case Primitive.Double: call.Run(Numeric<double>(op, type)); break;
            case Primitive.FloatInt: call.Run(Location<FloatInt, float>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.DoubleInt: call.Run(Location<DoubleInt, double>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.LongInt: call.Run(Location<LongInt, long>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.TwoInt: call.Run(Location<TwoInt, int>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.ShortInt: call.Run(Location<ShortInt, short>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.TwoFloat: call.Run(Location<TwoFloat, float>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.TwoDouble: call.Run(Location<TwoDouble, double>(op, type, p => p.Value, p => p.Index)); break;
            case Primitive.ComplexFloat: call.Run(Complex<ComplexFloat>(op, type, (a, b) => new() { Re = a.Re + b.Re, Im = a.Im + b.Im },
                (a, b) => new() { Re = a.Re * b.Re - a.Im * b.Im, Im = a.Re * b.Im + a.Im * b.Re })); break;
            case Primitive.ComplexDouble: call.Run(Complex<ComplexDouble>(op, type, (a, b) => new() { Re = a.Re + b.Re, Im = a.Im + b.Im },
                (a, b) => new() { Re = a.Re * b.Re - a.Im * b.Im, Im = a.Re * b.Im + a.Im * b.Re })); break;
            default: throw NotFor(op, type);
        }
    }

    private static MpiException NotFor(int op, Datatype type) => new(ErrorClass.Op, $"{Operations.Name(op)} is not defined for {type.Name}");

    private static ReduceOp<T> Numeric<T>(int op, Datatype type) where T : unmanaged
    {
        bool integer = typeof(T) != typeof(float) && typeof(T) != typeof(double);
        return op switch
        {
            Constants.OpSum => ReduceOp<T>.Sum,
            Constants.OpProd => ReduceOp<T>.Prod,
            Constants.OpMax => ReduceOp<T>.Max,
            Constants.OpMin => ReduceOp<T>.Min,
            Constants.OpBand when integer => ReduceOp<T>.And,
            Constants.OpBor when integer => ReduceOp<T>.Or,
            Constants.OpBxor when integer => ReduceOp<T>.Xor,
            Constants.OpLand or Constants.OpLor or Constants.OpLxor when integer => Logical<T>.For(op),
            _ => throw NotFor(op, type),
        };
    }

    /// <summary>MPI_LAND, MPI_LOR, MPI_LXOR on integers (C's truth: not zero), giving 1 or 0.</summary>
    private static class Logical<T> where T : unmanaged
    {
        private static readonly ReduceOp<T> And = Make((a, b) => a && b, "land"), Or = Make((a, b) => a || b, "lor"), Xor = Make((a, b) => a ^ b, "lxor");

        public static ReduceOp<T> For(int op) => op == Constants.OpLand ? And : op == Constants.OpLor ? Or : Xor;

        private static ReduceOp<T> Make(Func<bool, bool, bool> combine, string name) => new((input, inout) =>
        {
            int size = Marshal.SizeOf<T>();
            var a = MemoryMarshal.AsBytes(input);
            var b = MemoryMarshal.AsBytes(inout);
            for (int i = 0; i < inout.Length; i++)
            {
                var x = a.Slice(i * size, size);
                var y = b.Slice(i * size, size);
                bool result = combine(x.IndexOfAnyExcept((byte)0) >= 0, y.IndexOfAnyExcept((byte)0) >= 0);
                y.Clear();
                if (result) y[0] = 1; // little-endian: the value 1
            }
        }, isCommutative: true, name);
    }

    /// <summary>MPI_MINLOC / MPI_MAXLOC: the smallest (largest) value, and of equal values the smallest index.</summary>
    private static ReduceOp<TPair> Location<TPair, TValue>(int op, Datatype type, Func<TPair, TValue> value, Func<TPair, double> index)
        where TPair : unmanaged where TValue : IComparable<TValue>
    {
        if (op is not (Constants.OpMinloc or Constants.OpMaxloc)) throw NotFor(op, type);
        int sign = op == Constants.OpMinloc ? 1 : -1;
        return new((input, inout) =>
        {
            for (int i = 0; i < inout.Length; i++)
            {
                int c = sign * value(input[i]).CompareTo(value(inout[i]));
                if (c < 0 || (c == 0 && index(input[i]) < index(inout[i]))) inout[i] = input[i];
            }
        }, isCommutative: true, op == Constants.OpMinloc ? "minloc" : "maxloc");
    }

    private static ReduceOp<T> Complex<T>(int op, Datatype type, Func<T, T, T> sum, Func<T, T, T> product) where T : unmanaged =>
        op switch
        {
            Constants.OpSum => new((input, inout) => { for (int i = 0; i < inout.Length; i++) inout[i] = sum(input[i], inout[i]); }, true, "sum"),
            Constants.OpProd => new((input, inout) => { for (int i = 0; i < inout.Length; i++) inout[i] = product(input[i], inout[i]); }, true, "prod"),
            _ => throw NotFor(op, type),
        };
}
