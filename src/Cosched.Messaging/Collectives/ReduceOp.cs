using System.Numerics;

namespace Cosched.Messaging;

/// <summary>A user reduction: combines <paramref name="input"/> into <paramref name="inout"/> element by
/// element, <c>inout[i] = input[i] ∘ inout[i]</c>, where <paramref name="input"/> holds the lower ranks' values.</summary>
public delegate void ReduceFunction<T>(ReadOnlySpan<T> input, Span<T> inout) where T : unmanaged;

/// <summary>A reduction operator for Reduce, Allreduce, ReduceScatter, Scan and Exscan (MPI_Op):
/// the built-ins (<see cref="Sum"/>, <see cref="Max"/>, ...) or a user function.</summary>
/// <remarks>Results are combined in rank order (x0 ∘ x1 ∘ ... ∘ xp-1) for operators that are not
/// commutative; commutative ones may be combined in any order, as MPI allows.</remarks>
public sealed unsafe class ReduceOp<T> where T : unmanaged
{
    private readonly ReduceFunction<T> _function;

    /// <summary>A user-defined operator; it must be associative, and <paramref name="isCommutative"/> says
    /// whether the runtime may also reorder operands.</summary>
    public ReduceOp(ReduceFunction<T> function, bool isCommutative, string name = "user")
    {
        _function = function ?? throw new ArgumentNullException(nameof(function));
        IsCommutative = isCommutative;
        Name = name;
    }

    /// <summary>Name shown in messages ("sum", "max", or the user's name).</summary>
    public string Name { get; }

    /// <summary>Whether operands may be combined in any order.</summary>
    public bool IsCommutative { get; }

    /// <summary>Element-wise sum (MPI_SUM); numeric primitive types.</summary>
    public static ReduceOp<T> Sum => BuiltIns.Sum ?? throw NotNumeric("Sum");
    /// <summary>Element-wise product (MPI_PROD); numeric primitive types.</summary>
    public static ReduceOp<T> Prod => BuiltIns.Prod ?? throw NotNumeric("Prod");
    /// <summary>Element-wise minimum (MPI_MIN); numeric primitive types.</summary>
    public static ReduceOp<T> Min => BuiltIns.Min ?? throw NotNumeric("Min");
    /// <summary>Element-wise maximum (MPI_MAX); numeric primitive types.</summary>
    public static ReduceOp<T> Max => BuiltIns.Max ?? throw NotNumeric("Max");
    /// <summary>Bitwise and (MPI_BAND); integer types.</summary>
    public static ReduceOp<T> And => BuiltIns.And ?? throw NotInteger("And");
    /// <summary>Bitwise or (MPI_BOR); integer types.</summary>
    public static ReduceOp<T> Or => BuiltIns.Or ?? throw NotInteger("Or");
    /// <summary>Bitwise exclusive or (MPI_BXOR); integer types.</summary>
    public static ReduceOp<T> Xor => BuiltIns.Xor ?? throw NotInteger("Xor");

    /// <summary>Applies the operator: <c>inout[i] = input[i] ∘ inout[i]</c>.</summary>
    public void Apply(ReadOnlySpan<T> input, Span<T> inout)
    {
        if (input.Length != inout.Length)
            throw new ArgumentException($"{Name}: input has {input.Length} elements but inout has {inout.Length}");
        _function(input, inout);
    }

    /// <summary>inout = input ∘ inout over <paramref name="count"/> elements (the collectives' hot path).</summary>
    internal void Apply(T* input, T* inout, int count)
    {
        if (count > 0) _function(new ReadOnlySpan<T>(input, count), new Span<T>(inout, count));
    }

    public override string ToString() => Name;

    private static NotSupportedException NotNumeric(string op) =>
        new($"ReduceOp<{typeof(T).Name}>.{op} needs a primitive numeric type (int, long, double, ...); use a user-defined ReduceOp for {typeof(T).Name}");

    private static NotSupportedException NotInteger(string op) =>
        new($"ReduceOp<{typeof(T).Name}>.{op} needs an integer type; bitwise operators are not defined for {typeof(T).Name}");

    /// <summary>The built-in operators for T, made once; null where T does not support them.</summary>
    private static class BuiltIns
    {
        private static readonly bool Numeric = Vector<T>.IsSupported;
        private static readonly bool Integer = Numeric && typeof(T) != typeof(float) && typeof(T) != typeof(double);

        public static readonly ReduceOp<T>? Sum = Numeric ? new(ReductionKernels.Apply<SumOperator, T>, true, "sum") : null;
        public static readonly ReduceOp<T>? Prod = Numeric ? new(ReductionKernels.Apply<ProductOperator, T>, true, "prod") : null;
        public static readonly ReduceOp<T>? Min = Numeric ? new(ReductionKernels.Apply<MinOperator, T>, true, "min") : null;
        public static readonly ReduceOp<T>? Max = Numeric ? new(ReductionKernels.Apply<MaxOperator, T>, true, "max") : null;
        public static readonly ReduceOp<T>? And = Integer ? new(ReductionKernels.Apply<AndOperator, T>, true, "and") : null;
        public static readonly ReduceOp<T>? Or = Integer ? new(ReductionKernels.Apply<OrOperator, T>, true, "or") : null;
        public static readonly ReduceOp<T>? Xor = Integer ? new(ReductionKernels.Apply<XorOperator, T>, true, "xor") : null;
    }
}
