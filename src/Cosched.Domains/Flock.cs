using System.Runtime.InteropServices;

namespace Cosched.Domains;

/// <summary>An exclusive flock(2) on an open file, held until disposed: serialises processes that
/// build the same cached thing (a guest image).</summary>
internal sealed partial class Flock : IDisposable
{
    private const int LockExclusive = 2, Unlock = 8;
    private readonly FileStream _file;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FlockCall(int fd, int operation);

    private Flock(FileStream file) => _file = file;

    public static Flock Exclusive(FileStream file)
    {
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        while (FlockCall(fd, LockExclusive) != 0)
            if (Marshal.GetLastPInvokeError() != 4) throw new IOException($"cannot lock {file.Name}"); // 4: EINTR, try again
        return new Flock(file);
    }

    public void Dispose() => FlockCall((int)_file.SafeFileHandle.DangerousGetHandle(), Unlock);
}
