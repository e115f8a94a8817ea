using System.Runtime.InteropServices;
using Cosched.Messaging.Native;

namespace Cosched.Messaging.Transports;

/// <summary>Where a large message lies in its sender's address space (sent in the ReadyToSend
/// frame when the channel allows a single copy).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RemoteBuffer
{
    public long Address;
    public int Pid;
    private int _reserved;

    public RemoteBuffer(long address, int pid) => (Address, Pid, _reserved) = (address, pid, 0);

    public readonly bool IsSet => Address != 0;
}

/// <summary>Single-copy transfer of large messages between processes of one kernel (Linux cross
/// memory attach, as Open MPI's vader uses): the receiver reads straight out of the sender's buffer.</summary>
internal static unsafe class CrossMemory
{
    /// <summary>Off with COSCHED_SINGLE_COPY=0, and after the kernel refused once (ptrace rules).</summary>
    public static bool Enabled { get; private set; } = Environment.GetEnvironmentVariable("COSCHED_SINGLE_COPY") != "0";

    public static readonly int Pid = Environment.ProcessId;

    /// <summary>Whether the kernel copies from the peer's <paramref name="from"/> to <paramref name="to"/>
    /// at full speed. process_vm_readv copies page by page with `rep movsb`, which CPUs with fast
    /// short rep movsb (AMD Zen, some Intel cores) run on a slow path when the destination lies 1 to
    /// 63 bytes past the source modulo the page (as if the two could overlap): 2.3 GB/s instead of
    /// 10 for 1 MiB on this project's AMD EPYC VMs (docs/BENCHMARKS.md, issue 17). glibc's memmove
    /// avoids rep movsb for exactly those distances; the kernel's copy does not. Such a message is
    /// streamed through the ring instead (a copy on each core, 7 to 8 GB/s there).</summary>
    public static bool CopiesFast(long from, byte* to) => (((long)to - from) & (PageBytes - 1)) is 0 or >= ShortDistance;

    private const long PageBytes = 4096, ShortDistance = 64;

    /// <summary>Copies <paramref name="bytes"/> from the peer; false if the kernel does not allow it.</summary>
    public static bool TryRead(RemoteBuffer from, byte* to, long bytes)
    {
        long done = 0;
        while (done < bytes)
        {
            var local = new Linux.IoVec { Base = to + done, Length = (nint)(bytes - done) };
            var remote = new Linux.IoVec { Base = (void*)(from.Address + done), Length = (nint)(bytes - done) };
            long got = Linux.ProcessVmReadv(from.Pid, &local, 1, &remote, 1, 0);
            if (got <= 0)
            {
                if (got < 0 && Marshal.GetLastPInvokeError() == Linux.EINTR) continue;
                if (done == 0) Enabled = false;
                return false;
            }
            done += got;
        }
        return true;
    }
}
