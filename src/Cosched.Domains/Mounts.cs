using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Cosched.Domains;

/// <summary>The few mount(2) calls the namespace provider needs, made directly: a move swaps a
/// VM's host segment in well under a millisecond this way (mount(8) costs a process each).</summary>
internal static partial class Mounts
{
    private const ulong Bind = 4096, Shared = 1 << 20;
    private const int Detach = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mount(string source, string target, string? type, ulong flags, nint data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unmount(string target, int flags);

    /// <summary>Makes <paramref name="source"/> visible at <paramref name="target"/> (an existing file or directory).</summary>
    public static void BindMount(string source, string target)
    {
        if (Mount(source, target, null, Bind, 0) != 0) throw Failure($"bind-mount {source} on {target}");
    }

    /// <summary>Makes <paramref name="directory"/> a mount point of its own whose later mounts and
    /// unmounts propagate to every mount namespace copied from it as a slave (the VMs').</summary>
    public static void MakeSharedMountPoint(string directory)
    {
        BindMount(directory, directory);
        if (Mount("none", directory, null, Shared, 0) != 0) throw Failure($"make {directory} a shared mount");
    }

    /// <summary>Detaches the mount at <paramref name="target"/> now; users that still hold it keep it until they let go.</summary>
    public static void DetachMount(string target)
    {
        if (Unmount(target, Detach) != 0) throw Failure($"unmount {target}");
    }

    /// <summary>Detaches every mount at or below <paramref name="directory"/>, deepest first (teardown).</summary>
    public static void DetachAllUnder(string directory)
    {
        var prefix = directory.TrimEnd('/');
        var targets = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')).Where(f => f.Length > 4).Select(f => Unescape(f[4]))
            .Where(t => t == prefix || t.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Distinct().OrderByDescending(t => t.Length);
        foreach (var target in targets)
            while (Unmount(target, Detach) == 0) { } // stacked mounts: until none is left
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");

    private static DomainException Failure(string what) =>
        new($"cannot {what}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
}
