using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Cosched.Domains;

/// <summary>An exclusive flock(2) on a lock file, held until disposed: serialises processes that
/// build the same cached thing (a guest image).</summary>
/// <remarks>The file is opened with open(2), not a FileStream: .NET takes a shared flock of its own
/// on every FileStream and fails at once where another process holds the exclusive one.</remarks>
internal sealed partial class Flock : IDisposable
{
    private const int LockExclusive = 2, EINTR = 4, O_RDWR = 2, O_CREAT = 0x40, O_CLOEXEC = 0x80000;
    private readonly int _fd;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FlockCall(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    private Flock(int fd) => _fd = fd;

    /// <summary>Waits for the exclusive lock of <paramref name="path"/> (created, mode 0600).</summary>
    public static Flock Exclusive(string path)
    {
        int fd = Open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0b110_000_000);
        if (fd < 0) throw new IOException($"cannot open {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        while (FlockCall(fd, LockExclusive) != 0)
        {
            if (Marshal.GetLastPInvokeError() == EINTR) continue;
            Close(fd);
            throw new IOException($"cannot lock {path}");
        }
        return new Flock(fd);
    }

    public void Dispose() => Close(_fd); // closing the file releases its lock
}
