namespace Cosched.Mpi;

/// <summary>The datatype handles: C's and Fortran's predefined types at mpi.h's numbers, then the
/// derived ones a program makes.</summary>
internal static class Datatypes
{
    public static readonly HandleTable<Datatype> Table = Make();

    private static HandleTable<Datatype> Make()
    {
        var table = new HandleTable<Datatype>("datatype", ErrorClass.Type, firstFree: 100);
        void P(int handle, string name, Primitive basic, long bytes) => table.Predefine(handle, Datatype.Of(name, basic, bytes));
        P(1, "MPI_CHAR", Primitive.Int8, 1);
        P(2, "MPI_SIGNED_CHAR", Primitive.Int8, 1);
        P(3, "MPI_UNSIGNED_CHAR", Primitive.UInt8, 1);
        P(4, "MPI_BYTE", Primitive.UInt8, 1);
        P(5, "MPI_SHORT", Primitive.Int16, 2);
        P(6, "MPI_UNSIGNED_SHORT", Primitive.UInt16, 2);
        P(7, "MPI_INT", Primitive.Int32, 4);
        P(8, "MPI_UNSIGNED", Primitive.UInt32, 4);
        P(9, "MPI_LONG", Primitive.Int64, 8);
        P(10, "MPI_UNSIGNED_LONG", Primitive.UInt64, 8);
        P(11, "MPI_LONG_LONG", Primitive.Int64, 8);
        P(12, "MPI_UNSIGNED_LONG_LONG", Primitive.UInt64, 8);
        P(13, "MPI_FLOAT", Primitive.Float, 4);
        P(14, "MPI_DOUBLE", Primitive.Double, 8);
        P(15, "MPI_C_BOOL", Primitive.UInt8, 1);
        P(16, "MPI_INT8_T", Primitive.Int8, 1);
        P(17, "MPI_INT16_T", Primitive.Int16, 2);
        P(18, "MPI_INT32_T", Primitive.Int32, 4);
        P(19, "MPI_INT64_T", Primitive.Int64, 8);
        P(20, "MPI_UINT8_T", Primitive.UInt8, 1);
        P(21, "MPI_UINT16_T", Primitive.UInt16, 2);
        P(22, "MPI_UINT32_T", Primitive.UInt32, 4);
        P(23, "MPI_UINT64_T", Primitive.UInt64, 8);
        P(24, "MPI_AINT", Primitive.Int64, 8);
        P(25, "MPI_OFFSET", Primitive.Int64, 8);
        P(26, "MPI_COUNT", Primitive.Int64, 8);
        P(27, "MPI_PACKED", Primitive.UInt8, 1);
        table.Predefine(28, Datatype.Pair("MPI_FLOAT_INT", Primitive.FloatInt, 4, 4, 4, 8));
        table.Predefine(29, Datatype.Pair("MPI_DOUBLE_INT", Primitive.DoubleInt, 8, 8, 4, 16));
        table.Predefine(30, Datatype.Pair("MPI_LONG_INT", Primitive.LongInt, 8, 8, 4, 16));
        table.Predefine(31, Datatype.Pair("MPI_2INT", Primitive.TwoInt, 4, 4, 4, 8));
        table.Predefine(32, Datatype.Pair("MPI_SHORT_INT", Primitive.ShortInt, 2, 4, 4, 8));
        P(33, "MPI_WCHAR", Primitive.Int32, 4);
        P(40, "MPI_INTEGER", Primitive.Int32, 4);
        P(41, "MPI_REAL", Primitive.Float, 4);
        P(42, "MPI_DOUBLE_PRECISION", Primitive.Double, 8);
        P(43, "MPI_COMPLEX", Primitive.ComplexFloat, 8);
        P(44, "MPI_DOUBLE_COMPLEX", Primitive.ComplexDouble, 16);
        P(45, "MPI_LOGICAL", Primitive.Int32, 4);
        P(46, "MPI_CHARACTER", Primitive.Int8, 1);
        table.Predefine(47, Datatype.Pair("MPI_2INTEGER", Primitive.TwoInt, 4, 4, 4, 8));
        table.Predefine(48, Datatype.Pair("MPI_2DOUBLE_PRECISION", Primitive.TwoDouble, 8, 8, 8, 16));
        table.Predefine(49, Datatype.Pair("MPI_2REAL", Primitive.TwoFloat, 4, 4, 4, 8));
        P(50, "MPI_INTEGER8", Primitive.Int64, 8);
        P(51, "MPI_REAL8", Primitive.Double, 8);
        P(52, "MPI_INTEGER4", Primitive.Int32, 4);
        P(53, "MPI_REAL4", Primitive.Float, 4);
        return table;
    }

    /// <summary>The committed type behind a handle (MPI_ERR_TYPE otherwise).</summary>
    public static Datatype Get(int handle)
    {
        var type = Table.Get(handle);
        return type.Committed ? type : throw new MpiException(ErrorClass.Type, $"datatype {handle} ({type.Name}) is not committed (MPI_Type_commit)");
    }
}
