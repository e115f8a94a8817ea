using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cosched.Domains.Qemu;

/// <summary>The shared .NET runtime that Cosched's CLI (Cosched.Cli.dll) runs on, which a guest
/// image must carry: the running one under the JIT; from an ahead-of-time compiled `cosched run`,
/// which carries no shared runtime of its own, the one the dotnet host on the PATH would pick.</summary>
public static class SharedRuntime
{
    /// <summary>The directory of Microsoft.NETCore.App (System.Private.CoreLib.dll and the rest).</summary>
    public static string Directory { get; } = Find();

    /// <summary>The dotnet installation the runtime belongs to (dotnet, host/, shared/).</summary>
    public static string DotnetRoot => Path.GetFullPath(Path.Combine(Directory, "..", "..", ".."));

    private static string Find()
    {
        if (RuntimeFeature.IsDynamicCodeSupported) return RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/');
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } set ? set : DotnetOnPath()
            ?? throw new DomainException("no dotnet on the PATH: the guests need the .NET runtime that runs Cosched's CLI");
        // The host's default roll-forward: the newest patch of this build's major.minor.
        var prefix = $"{Environment.Version.Major}.{Environment.Version.Minor}.";
        var versions = Path.Combine(root, "shared", "Microsoft.NETCore.App");
        var newest = System.IO.Directory.Exists(versions)
            ? System.IO.Directory.GetDirectories(versions).Where(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal))
                .MaxBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version())
            : null;
        return newest ?? throw new DomainException($"no .NET {prefix}x runtime under {versions}: the guests need the runtime that runs Cosched's CLI");
    }

    private static string? DotnetOnPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "dotnet");
            if (!File.Exists(candidate)) continue;
            var real = File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? candidate;
            return Path.GetDirectoryName(real);
        }
        return null;
    }
}
