using System.Runtime.InteropServices;

namespace Cosched.Launch;

/// <summary>How ranks are bound to cores (--bind-to, as Open MPI's).</summary>
public enum BindTo
{
    /// <summary>One core per rank when the ranks fit the cores, none when oversubscribed (Open MPI's default).</summary>
    Auto,
    Core,
    None,
}

/// <summary>Pins a child process to a core: the launching thread takes that core's affinity just
/// while it forks, so the child and every thread it will create inherit it.</summary>
internal static partial class CoreBinding
{
    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SetAffinity(int pid, nint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static unsafe partial int GetAffinity(int pid, nint size, ulong* mask);

    private const int MaskWords = 16; // 1024 cpus

    /// <summary>Cores this process may run on, in order.</summary>
    public static unsafe int[] AllowedCores()
    {
        ulong* mask = stackalloc ulong[MaskWords];
        if (GetAffinity(0, MaskWords * 8, mask) != 0) return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        var cores = new List<int>();
        for (int i = 0; i < MaskWords * 64; i++)
            if ((mask[i / 64] & (1UL << (i % 64))) != 0) cores.Add(i);
        return cores.ToArray();
    }

    /// <summary>Runs <paramref name="start"/> with the calling thread bound to <paramref name="core"/>
    /// (null: unchanged), then restores the thread's affinity.</summary>
    public static T StartOn<T>(int? core, Func<T> start) => core is { } c ? StartOn([c], start) : start();

    /// <summary>Runs <paramref name="start"/> with the calling thread bound to the set
    /// <paramref name="cores"/> (a VM's cores), then restores the thread's affinity.</summary>
    public static unsafe T StartOn<T>(IReadOnlyList<int> cores, Func<T> start)
    {
        if (cores.Count == 0) return start();
        ulong* saved = stackalloc ulong[MaskWords];
        ulong* only = stackalloc ulong[MaskWords];
        new Span<ulong>(only, MaskWords).Clear();
        foreach (int c in cores) only[c / 64] |= 1UL << (c % 64);
        bool restore = GetAffinity(0, MaskWords * 8, saved) == 0;
        SetAffinity(0, MaskWords * 8, only);
        try
        {
            return start();
        }
        finally
        {
            if (restore) SetAffinity(0, MaskWords * 8, saved);
        }
    }

    /// <summary>Pins every thread of process <paramref name="pid"/> to <paramref name="cores"/> (a
    /// move: the rank's threads follow its VM to the destination host's cores). Threads that end
    /// meanwhile are skipped.</summary>
    public static unsafe void Repin(int pid, IReadOnlyList<int> cores)
    {
        ulong* only = stackalloc ulong[MaskWords];
        new Span<ulong>(only, MaskWords).Clear();
        foreach (int c in cores) only[c / 64] |= 1UL << (c % 64);
        string[] threads;
        try { threads = Directory.GetDirectories($"/proc/{pid}/task"); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var thread in threads)
            if (int.TryParse(Path.GetFileName(thread), out int tid)) SetAffinity(tid, MaskWords * 8, only);
    }
}
