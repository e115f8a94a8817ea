using System.Runtime.InteropServices;

namespace Cosched.Scheduling.Real;

/// <summary>kill(2): .NET's Process.Kill only sends SIGKILL, and a launcher must get SIGTERM to clean up.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
