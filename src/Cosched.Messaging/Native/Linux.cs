using System.Runtime.InteropServices;

namespace Cosched.Messaging.Native;

/// <summary>The few Linux system calls the transports need that .NET does not expose.</summary>
internal static unsafe partial class Linux
{
    private const long SysFutex = 202; // x86_64
    private const int FutexWaitOp = 0;
    private const int FutexWakeOp = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec { public void* Base; public nint Length; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd { public int Fd; public short Events; public short Revents; }

    internal const short PollIn = 0x001;
    internal const short PollOut = 0x004;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall6(long number, void* addr, int op, int val, Timespec* timeout, void* addr2, int val3);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    internal static partial nint Writev(int fd, IoVec* iov, int count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "process_vm_readv", SetLastError = true)]
    internal static partial nint ProcessVmReadv(int pid, IoVec* local, nuint localCount, IoVec* remote, nuint remoteCount, nuint flags);

    [LibraryImport("libc", EntryPoint = "sched_yield")]
    internal static partial int SchedYield();

    /// <summary>Sleeps while *address == expected, at most <paramref name="timeoutMicros"/>.
    /// Works across processes because the word lives in a shared mapping (no FUTEX_PRIVATE).</summary>
    internal static void FutexWait(int* address, int expected, long timeoutMicros)
    {
        var ts = new Timespec { Seconds = timeoutMicros / 1_000_000, Nanoseconds = timeoutMicros % 1_000_000 * 1000 };
        Syscall6(SysFutex, address, FutexWaitOp, expected, &ts, null, 0);
    }

    internal static void FutexWakeAll(int* address) =>
        Syscall6(SysFutex, address, FutexWakeOp, int.MaxValue, null, null, 0);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFdCreate(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);

    private const int EfdNonblock = 0x800, EfdCloexec = 0x80000;

    /// <summary>A non-blocking eventfd (-1 if the kernel refuses one: the rank then wakes from its short naps).</summary>
    internal static int EventFd() => EventFdCreate(0, EfdNonblock | EfdCloexec);

    internal static void EventFdSignal(int fd)
    {
        ulong one = 1;
        Write(fd, (byte*)&one, 8);
    }

    internal static void EventFdDrain(int fd)
    {
        ulong value;
        Read(fd, (byte*)&value, 8);
    }

    internal const int EAGAIN = 11;
    internal const int EINTR = 4;
    internal const int ECONNRESET = 104;
}
