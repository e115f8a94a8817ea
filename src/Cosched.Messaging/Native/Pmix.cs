using System.Runtime.InteropServices;
using System.Text;

namespace Cosched.Messaging.Native;

/// <summary>The few PMIx client calls a rank needs to join a job that srun or Open MPI's mpirun
/// started (libpmix.so.2 of PMIx 4.x; no binding exists on NuGet). Layouts of PMIx 4.2's
/// pmix_common.h: a process is a 256-byte namespace and a 32-bit rank, a value a 16-bit type with its
/// data at offset 8 (32 bytes), an info a 512-byte key, 32-bit flags and a value at offset 520.</summary>
internal static unsafe partial class Pmix
{
    private const string Library = "libpmix.so.2";

    public const int Success = 0;
    public const ushort TypeBool = 1;
    public const ushort TypeString = 3;
    public const ushort TypeUInt16 = 13;
    public const ushort TypeUInt32 = 14;
    public const byte ScopeGlobal = 3;
    public const uint RankWildcard = uint.MaxValue - 1;

    public const string JobSizeKey = "pmix.job.size";
    public const string LocalPeersKey = "pmix.lpeers";
    public const string CollectDataKey = "pmix.collect";

    [StructLayout(LayoutKind.Sequential)]
    public struct Proc
    {
        public fixed byte Namespace[256];
        public uint Rank;

        public readonly string NamespaceText
        {
            get
            {
                fixed (byte* name = Namespace) return Marshal.PtrToStringUTF8((nint)name) ?? "";
            }
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 32)]
    public struct Value
    {
        [FieldOffset(0)] public ushort Type;
        [FieldOffset(8)] public byte* String;
        [FieldOffset(8)] public uint UInt32;
        [FieldOffset(8)] public ushort UInt16;
        [FieldOffset(8)] public byte Flag;
    }

    [StructLayout(LayoutKind.Explicit, Size = 552)]
    public struct Info
    {
        [FieldOffset(0)] public fixed byte Key[512];
        [FieldOffset(512)] public uint Flags;
        [FieldOffset(520)] public Value Value;
    }

    [LibraryImport(Library, EntryPoint = "PMIx_Init")]
    public static partial int Init(Proc* proc, Info* info, nuint count);

    [LibraryImport(Library, EntryPoint = "PMIx_Finalize")]
    public static partial int Finalize(Info* info, nuint count);

    [LibraryImport(Library, EntryPoint = "PMIx_Put")]
    public static partial int Put(byte scope, byte* key, Value* value);

    [LibraryImport(Library, EntryPoint = "PMIx_Commit")]
    public static partial int Commit();

    [LibraryImport(Library, EntryPoint = "PMIx_Fence")]
    public static partial int Fence(Proc* procs, nuint count, Info* info, nuint infoCount);

    [LibraryImport(Library, EntryPoint = "PMIx_Get")]
    public static partial int Get(Proc* proc, byte* key, Info* info, nuint count, Value** value);

    [LibraryImport(Library, EntryPoint = "PMIx_Value_destruct")]
    public static partial void ValueDestruct(Value* value);

    [LibraryImport(Library, EntryPoint = "PMIx_Abort")]
    public static partial int Abort(int status, byte* message, Proc* procs, nuint count);

    [LibraryImport(Library, EntryPoint = "PMIx_Error_string")]
    private static partial byte* ErrorString(int status);

    /// <summary>PMIx's own name for a status ("PMIX_ERR_NOT_FOUND"), for error lines.</summary>
    public static string Describe(int status) => Marshal.PtrToStringUTF8((nint)ErrorString(status)) ?? status.ToString();

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/> for a key or a string value.</summary>
    public static byte[] Text(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
