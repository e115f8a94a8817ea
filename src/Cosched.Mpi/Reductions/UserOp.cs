namespace Cosched.Mpi;

/// <summary>An operation made by MPI_Op_create: the program's function (C's and Fortran's have the
/// same shape: everything by reference).</summary>
internal sealed unsafe class UserOp(delegate* unmanaged<void*, void*, int*, int*, void> function, bool commutative)
{
    public bool Commutative { get; } = commutative;

    /// <summary>inout = in ∘ inout over <paramref name="count"/> elements of <paramref name="type"/>.</summary>
    public void Apply(void* input, void* inout, int count, int type) => function(input, inout, &count, &type);
}

/// <summary>The operation handles: the predefined ones at mpi.h's numbers (no object: their number
/// says it all), then the program's.</summary>
internal static class Operations
{
    public static readonly HandleTable<UserOp> User = new("operation", ErrorClass.Op, firstFree: 32);

    public static bool IsPredefined(int op) => op is >= Constants.OpMax and <= Constants.OpNoOp;

    public static string Name(int op) => op switch
    {
        Constants.OpMax => "MPI_MAX", Constants.OpMin => "MPI_MIN", Constants.OpSum => "MPI_SUM", Constants.OpProd => "MPI_PROD",
        Constants.OpLand => "MPI_LAND", Constants.OpBand => "MPI_BAND", Constants.OpLor => "MPI_LOR", Constants.OpBor => "MPI_BOR",
        Constants.OpLxor => "MPI_LXOR", Constants.OpBxor => "MPI_BXOR", Constants.OpMinloc => "MPI_MINLOC", Constants.OpMaxloc => "MPI_MAXLOC",
        Constants.OpReplace => "MPI_REPLACE", Constants.OpNoOp => "MPI_NO_OP", _ => $"user operation {op}",
    };
}
