using System.Runtime.InteropServices;

namespace Cosched.Mpi;

/// <summary>Datatypes (size, extent, contiguous, vector, struct, commit, free) and operations.</summary>
internal static unsafe class DatatypeCalls
{
    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_size")]
    public static int Size(int type, int* size)
    {
        try { *size = checked((int)Datatypes.Table.Get(type).Size); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Type_size", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_get_extent")]
    public static int GetExtent(int type, nint* lb, nint* extent)
    {
        try
        {
            var t = Datatypes.Table.Get(type);
            *lb = (nint)t.LowerBound;
            *extent = (nint)t.Extent;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Type_get_extent", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_extent")]
    public static int Extent(int type, nint* extent)
    {
        try { *extent = (nint)Datatypes.Table.Get(type).Extent; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Type_extent", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_contiguous")]
    public static int Contiguous(int count, int oldtype, int* newtype)
    {
        try { *newtype = Datatypes.Table.Add(Datatypes.Table.Get(oldtype).Contiguous(Buffers.Count(count))); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Type_contiguous", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_vector")]
    public static int Vector(int count, int blocklength, int stride, int oldtype, int* newtype)
    {
        try
        {
            *newtype = Datatypes.Table.Add(Datatypes.Table.Get(oldtype).Vector(Buffers.Count(count), Buffers.Count(blocklength, "block length"), stride));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Type_vector", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_create_struct")]
    public static int CreateStruct(int count, int* lengths, nint* displacements, int* types, int* newtype) =>
        MakeStruct("MPI_Type_create_struct", count, lengths, displacements, types, newtype);

    /// <summary>MPI-1's name for the same call (NPB's DT uses it).</summary>
    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_struct")]
    public static int Struct(int count, int* lengths, nint* displacements, int* types, int* newtype) =>
        MakeStruct("MPI_Type_struct", count, lengths, displacements, types, newtype);

    private static int MakeStruct(string function, int count, int* lengths, nint* displacements, int* types, int* newtype)
    {
        try
        {
            int n = Buffers.Count(count);
            var l = new int[n];
            var d = new long[n];
            var t = new Datatype[n];
            for (int i = 0; i < n; i++)
            {
                l[i] = Buffers.Count(lengths[i], "block length");
                d[i] = displacements[i];
                t[i] = Datatypes.Table.Get(types[i]);
            }
            *newtype = Datatypes.Table.Add(Datatype.Struct(l, d, t));
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_create_resized")]
    public static int CreateResized(int oldtype, nint lb, nint extent, int* newtype)
    {
        try { *newtype = Datatypes.Table.Add(Datatypes.Table.Get(oldtype).Resized(lb, extent)); return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Type_create_resized", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_commit")]
    public static int Commit(int* type)
    {
        try { Datatypes.Table.Get(*type).Committed = true; return 0; }
        catch (Exception e) { return Errors.Fail("MPI_Type_commit", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Type_free")]
    public static int Free(int* type)
    {
        try
        {
            Datatypes.Table.Remove(*type);
            *type = Constants.DatatypeNull;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Type_free", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Op_create")]
    public static int OpCreate(delegate* unmanaged<void*, void*, int*, int*, void> function, int commute, int* op)
    {
        try
        {
            if (function == null) throw new MpiException(ErrorClass.Arg, "the operation's function is NULL");
            *op = Operations.User.Add(new UserOp(function, commute != 0));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Op_create", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Op_free")]
    public static int OpFree(int* op)
    {
        try
        {
            Operations.User.Remove(*op);
            *op = Constants.OpNull;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Op_free", 0, e); }
    }
}
