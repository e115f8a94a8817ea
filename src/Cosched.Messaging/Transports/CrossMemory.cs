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
