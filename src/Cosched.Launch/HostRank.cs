using System.Diagnostics;
using Cosched.Domains;

namespace Cosched.Launch;

/// <summary>A rank that is a process on this host (native, process and namespace VMs).</summary>
internal sealed class HostRank(Process process) : IRankProcess
{
    public int HostPid => process.Id;

    public bool HasExited
    {
        get
        {
            try { return process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    public void Signal(int signal) => Signals.Kill(process.Id, signal);

    public void Kill()
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // it ended meanwhile
    }

    public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

    public void Dispose() => process.Dispose();
}
