using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Cosched.Domains.Qemu;

/// <summary>The guest image Cosched builds from what the host has installed: the Debian cloud kernel
/// (used in place), an initramfs (static busybox, the virtio modules, <see cref="GuestInit"/>) and
/// a read-only ext4 disk (mke2fs -d) holding the host's .NET runtime without the SDK, the libraries
/// it loads, Cosched's own program directory and the job's program directories, each at the path it
/// has on the host. Images are cached by the content of their inputs and rebuilt when one changes.</summary>
public sealed class GuestImage
{
    public const string AgentPortName = "cosched.agent";
    public const string ProbeArgument = "cosched.probe=1";
    public const string ProbeAnswer = "cosched-guest: probe ok";

    /// <summary>Modules the guest loads, with what they depend on: disk, network, agent port.</summary>
    private static readonly string[] GuestModules = ["virtio_pci", "virtio_blk", "virtio_net", "virtio_console"];

    /// <summary>Files the .NET runtime opens with dlopen, which ldd does not list.</summary>
    private static readonly string[] LoadedLibraries = ["libssl.so.3", "libcrypto.so.3"];

    private GuestImage(string directory, string kernel, string key)
    {
        Directory_ = directory;
        Kernel = kernel;
        Key = key;
    }

    private string Directory_ { get; }
    public string Kernel { get; }
    public string Key { get; }
    public string Initrd => Path.Combine(Directory_, "initrd.gz");
    public string Disk => Path.Combine(Directory_, "disk.img");
    public string Manifest => Path.Combine(Directory_, "manifest.txt");

    /// <summary>The dotnet host that runs the agent and every .NET rank in the guest.</summary>
    public static string DotnetHost => Path.Combine(SharedRuntime.DotnetRoot, "dotnet");

    /// <summary>Cosched's CLI as the guest runs it (the agent is `cosched vm agent`).</summary>
    public static string CliAssembly => Path.Combine(AppContext.BaseDirectory, "Cosched.Cli.dll");

    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("COSCHED_IMAGE_DIR") is { Length: > 0 } dir ? dir
        : HostSupport.IsRoot ? "/var/cache/cosched/images"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cosched", "images");

    /// <summary>The image for a job whose ranks run <paramref name="programPaths"/> (host paths of
    /// files its command names), built now when no cached one has these inputs.</summary>
    public static GuestImage Ensure(IReadOnlyList<string> programPaths, Action<string>? log)
    {
        if (QemuHost.Missing() is { } missing) throw new DomainException(missing);
        var kernel = QemuHost.Kernel!;
        var trees = Trees(programPaths);
        var key = KeyOf(kernel, trees);
        var directory = Path.Combine(CacheRoot, key);
        var image = new GuestImage(directory, kernel, key);
        Directory.CreateDirectory(CacheRoot);
        using var _ = Flock.Exclusive(Path.Combine(CacheRoot, ".lock"));
        if (File.Exists(image.Manifest)) return image;
        log?.Invoke($"building the guest image {key} (kernel {Path.GetFileName(kernel)}, .NET {RuntimeInformation.FrameworkDescription})");
        var staging = directory + ".building";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            BuildInitrd(kernel, Path.Combine(staging, "initrd-root"), Path.Combine(staging, "initrd.gz"));
            long bytes = BuildDisk(trees, Path.Combine(staging, "disk-root"), Path.Combine(staging, "disk.img"));
            Directory.Delete(Path.Combine(staging, "initrd-root"), recursive: true);
            Directory.Delete(Path.Combine(staging, "disk-root"), recursive: true);
            File.WriteAllText(Path.Combine(staging, "manifest.txt"),
                $"key {key}\nkernel {kernel}\nbuilt {DateTime.UtcNow:O}\ndisk_bytes {bytes}\n" + string.Concat(trees.Select(t => $"tree {t.HostPath}\n")));
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.Move(staging, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DomainException($"cannot build the guest image in {staging}: {e.Message}");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        Prune(keep: 4);
        return image;
    }

    /// <summary>Lines that describe the image (`cosched vm image`).</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"image:     {Key}";
        yield return $"kernel:    {Kernel}";
        yield return $"initramfs: {Initrd} ({new FileInfo(Initrd).Length / 1024} KiB: busybox, virtio modules, init)";
        var manifest = File.ReadAllLines(Manifest);
        var used = manifest.FirstOrDefault(l => l.StartsWith("disk_bytes ", StringComparison.Ordinal))?.Split(' ')[1];
        yield return $"disk:      {Disk} ({new FileInfo(Disk).Length / (1024 * 1024)} MiB ext4, read-only; {long.Parse(used ?? "0") / (1024 * 1024)} MiB of files)";
        foreach (var tree in manifest.Where(l => l.StartsWith("tree ", StringComparison.Ordinal)))
            yield return $"  {tree[5..]}";
    }

    /// <summary>A host directory (or file) copied into the disk at the same path.</summary>
    /// <summary>Directories a command may name that never go into an image whole (nor their parents, "/").</summary>
    private static readonly string[] SystemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/proc", "/sys", "/dev", "/run", "/var", "/boot", "/tmp", "/home", "/root"];

    /// <summary>Trees of the system's own, never copied by a directory argument.</summary>
    private static readonly string[] SystemContent = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/proc", "/sys", "/dev", "/run", "/boot"];

    /// <param name="AsLink">A link the job's command names: it comes as a link, to the file it names.</param>
    private sealed record Tree(string HostPath, bool Recursive, bool AsLink = false);

    private static List<Tree> Trees(IReadOnlyList<string> programPaths)
    {
        var trees = new List<Tree>
        {
            new(DotnetHost, false),
            new(Path.Combine(SharedRuntime.DotnetRoot, "host"), true),
            new(SharedRuntime.Directory, true),
            new(AppContext.BaseDirectory.TrimEnd('/'), true),
        };
        // A link (/usr/bin/dotnet) comes as a link, with what it names: a copy of it would run
        // from the wrong directory (the dotnet host finds its runtime next to itself).
        var paths = programPaths.Select(Path.GetFullPath).ToList();
        for (int i = 0; i < paths.Count; i++)
            if (File.ResolveLinkTarget(paths[i], returnFinalTarget: true) is { } target && !paths.Contains(target.FullName)) paths.Add(target.FullName);
        foreach (var full in paths)
        {
            if (Directory.Exists(full))
            {
                // A directory the command names (a database): all of it, unless it is one of the system's own.
                var directory = full.TrimEnd('/');
                bool systemTree = directory.Length == 0 || SystemDirectories.Any(d => d == directory || d.StartsWith(directory + "/", StringComparison.Ordinal))
                    || SystemContent.Any(d => (directory + "/").StartsWith(d + "/", StringComparison.Ordinal));
                if (!systemTree && !trees.Any(t => t.Recursive && (directory + "/").StartsWith(t.HostPath + "/", StringComparison.Ordinal)))
                    trees.Add(new Tree(directory, true));
                continue;
            }
            if (!File.Exists(full)) continue;
            // A system binary comes alone (its libraries follow from ldd); a program of the user's with its directory.
            bool system = new[] { "/usr/", "/bin/", "/sbin/", "/lib" }.Any(p => full.StartsWith(p, StringComparison.Ordinal));
            bool link = File.ResolveLinkTarget(full, returnFinalTarget: false) != null;
            var tree = system || link ? new Tree(full, false, link) : new Tree(Path.GetDirectoryName(full)!, true);
            bool covered = trees.Any(t => t.HostPath == tree.HostPath || t.Recursive && (tree.HostPath + "/").StartsWith(t.HostPath + "/", StringComparison.Ordinal));
            if (!covered) trees.Add(tree);
        }
        foreach (var library in Libraries(trees)) trees.Add(new Tree(library, false));
        return trees;
    }

    /// <summary>The shared libraries every executable and library of the trees needs (ldd), and the
    /// ones the runtime opens itself.</summary>
    private static IEnumerable<string> Libraries(List<Tree> trees)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var objects = trees.SelectMany(t => t.Recursive ? Files(t.HostPath) : [t.HostPath])
            .Where(f => f.EndsWith(".so", StringComparison.Ordinal) || IsElfExecutable(f)).ToList();
        foreach (var file in objects)
        {
            var (code, output, _) = Shell.TryRun("ldd", file);
            if (code != 0) continue;
            foreach (var line in output.Split('\n'))
                foreach (var word in line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) // the loader's line starts with a tab
                    if (word.StartsWith('/') && File.Exists(word) && !word.StartsWith(SharedRuntime.DotnetRoot, StringComparison.Ordinal)) found.Add(word);
        }
        foreach (var name in LoadedLibraries)
            foreach (var dir in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64" })
                if (File.Exists(Path.Combine(dir, name))) { found.Add(Path.Combine(dir, name)); break; }
        return found;
    }

    private static bool IsElfExecutable(string path)
    {
        try
        {
            if ((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0) return false;
            Span<byte> magic = stackalloc byte[4];
            using var stream = File.OpenRead(path);
            return stream.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Files of a program directory, without native libraries of other platforms and symbols.</summary>
    private static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal))
            .Where(f => Path.GetRelativePath(directory, f).Split('/') is not ["runtimes", var rid, ..] || rid == "linux-x64" || rid == "unix");

    private static string KeyOf(string kernel, List<Tree> trees)
    {
        var text = new StringBuilder(GuestInit.Script);
        void Add(string file)
        {
            var info = new FileInfo(file);
            text.Append(file).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        Add(kernel);
        Add(QemuHost.Busybox!);
        foreach (var tree in trees)
            foreach (var file in tree.Recursive ? Files(tree.HostPath).Order(StringComparer.Ordinal).ToArray() : [tree.HostPath]) Add(file);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    private static void BuildInitrd(string kernel, string root, string output)
    {
        foreach (var dir in new[] { "bin", "sbin", "dev", "proc", "sys", "tmp", "run", "modules" }) Directory.CreateDirectory(Path.Combine(root, dir));
        File.Copy(QemuHost.Busybox!, Path.Combine(root, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(root, "bin", "sh"), "busybox");
        File.WriteAllText(Path.Combine(root, "init"), GuestInit.Script.Replace("\r", "") + "\n");
        File.SetUnixFileMode(Path.Combine(root, "init"), (UnixFileMode)0b111_101_101);
        int n = 0;
        foreach (var module in ModuleLoadOrder(QemuHost.ModulesOf(kernel), GuestModules))
            File.Copy(module, Path.Combine(root, "modules", $"{++n:00}-{Path.GetFileName(module)}"));
        var (code, _, error) = Shell.TryRun("sh", "-c", "cd \"$0\" && find . | cpio -o -H newc --quiet | gzip -1 > \"$1\"", root, output);
        if (code != 0) throw new DomainException($"cannot pack the initramfs: {error.Trim()}");
    }

    /// <summary>The module files to insmod, each after the ones it depends on (from modules.dep).</summary>
    internal static List<string> ModuleLoadOrder(string modulesDirectory, IEnumerable<string> wanted)
    {
        var depends = new Dictionary<string, string[]>();
        foreach (var line in File.ReadLines(Path.Combine(modulesDirectory, "modules.dep")))
        {
            var parts = line.Split(':', 2);
            if (parts.Length == 2) depends[parts[0]] = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        var byName = depends.Keys.ToDictionary(k => Path.GetFileName(k).Split('.')[0].Replace('-', '_'), k => k);
        var order = new List<string>();
        void Visit(string module)
        {
            if (order.Contains(module)) return;
            foreach (var dependency in depends.GetValueOrDefault(module, [])) Visit(dependency);
            order.Add(module);
        }
        foreach (var name in wanted)
            Visit(byName.TryGetValue(name, out var module) ? module : throw new DomainException($"the guest kernel has no module {name} in {modulesDirectory}"));
        return order.Select(m => Path.Combine(modulesDirectory, m)).ToList();
    }

    private static long BuildDisk(List<Tree> trees, string root, string output)
    {
        long bytes = 0;
        void CopyFile(string file)
        {
            var target = root + file;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target)) return;
            File.Copy(file, target); // follows links: a library is copied as the file it names
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            bytes += new FileInfo(target).Length;
        }
        foreach (var tree in trees)
        {
            if (tree.AsLink)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(root + tree.HostPath)!);
                File.CreateSymbolicLink(root + tree.HostPath, File.ResolveLinkTarget(tree.HostPath, returnFinalTarget: true)!.FullName);
                continue;
            }
            foreach (var file in tree.Recursive ? Files(tree.HostPath) : [tree.HostPath]) CopyFile(file);
        }
        // ext4 metadata and the journal need room beyond the files themselves.
        long size = bytes + bytes / 4 + 32 * 1024 * 1024;
        var (code, _, error) = Shell.TryRun("mke2fs", "-q", "-F", "-t", "ext4", "-L", "cosched", "-E", "root_owner=0:0", "-d", root, output, $"{size / 1024}k");
        if (code != 0) throw new DomainException($"mke2fs failed: {error.Trim()}");
        return bytes;
    }

    /// <summary>Keeps the <paramref name="keep"/> newest images.</summary>
    private static void Prune(int keep)
    {
        foreach (var old in new DirectoryInfo(CacheRoot).GetDirectories().Where(d => !d.Name.EndsWith(".building", StringComparison.Ordinal))
                     .OrderByDescending(d => d.LastWriteTimeUtc).Skip(keep))
        {
            try { old.Delete(recursive: true); }
            catch (IOException) { }
        }
    }
}
