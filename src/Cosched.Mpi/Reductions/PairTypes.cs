using System.Runtime.InteropServices;

namespace Cosched.Mpi;

// The MINLOC/MAXLOC pair types, laid out as C's structs (and Fortran's pairs): value, then index.

[StructLayout(LayoutKind.Sequential)] internal struct FloatInt { public float Value; public int Index; }
[StructLayout(LayoutKind.Sequential)] internal struct DoubleInt { public double Value; public int Index; }
[StructLayout(LayoutKind.Sequential)] internal struct LongInt { public long Value; public int Index; }
[StructLayout(LayoutKind.Sequential)] internal struct TwoInt { public int Value; public int Index; }
[StructLayout(LayoutKind.Sequential)] internal struct ShortInt { public short Value; public int Index; }
[StructLayout(LayoutKind.Sequential)] internal struct TwoFloat { public float Value; public float Index; }
[StructLayout(LayoutKind.Sequential)] internal struct TwoDouble { public double Value; public double Index; }
[StructLayout(LayoutKind.Sequential)] internal struct ComplexFloat { public float Re, Im; }
[StructLayout(LayoutKind.Sequential)] internal struct ComplexDouble { public double Re, Im; }
