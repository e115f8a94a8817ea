using System.Text.RegularExpressions;

namespace Cosched.Study.Plan;

/// <summary>One of NPB 3.4's own benchmark programs, found by the name NPB's make gives it in its
/// bin/ folder: KERNEL.CLASS.x (cg.A.x) for NPB3.4-MPI, KERNEL-mz.CLASS.x (bt-mz.A.x) for the
/// multi-zone versions of NPB3.4-MZ. The class is the one the binary was built for (NPB fixes it at
/// compile time), so it is read from the name, not chosen by the study.</summary>
/// <param name="Kernel">"cg", "bt-mz" ...: NPB's name in lower case.</param>
public sealed partial record NpbBinary(string Kernel, string Class, string Path)
{
    public bool IsMultiZone => StudyWorkloads.NpbMultiZoneKernels.Contains(Kernel);

    /// <summary>The study's name for it ("npb:cg"), as --workloads and the database spell it.</summary>
    public string Workload => StudyWorkloads.NpbPrefix + Kernel;

    [GeneratedRegex(@"^(?<kernel>[a-z]+(-mz)?)\.(?<class>[SWABCDEF])\.x$")]
    private static partial Regex FileName();

    /// <summary>The binary a file name stands for; null when the name is not an NPB kernel's.</summary>
    public static NpbBinary? FromPath(string path)
    {
        var match = FileName().Match(System.IO.Path.GetFileName(path));
        if (!match.Success) return null;
        string kernel = match.Groups["kernel"].Value;
        return StudyWorkloads.NpbKernels.Contains(kernel) || StudyWorkloads.NpbMultiZoneKernels.Contains(kernel)
            ? new NpbBinary(kernel, match.Groups["class"].Value, System.IO.Path.GetFullPath(path)) : null;
    }

    /// <summary>The NPB binaries in <paramref name="directory"/>, in the paper's order of the kernels
    /// (BT, LU, SP, CG, FT, then MG, EP, IS, then the multi-zone ones) and by class, smallest first.</summary>
    public static List<NpbBinary> In(string directory)
    {
        return [.. Directory.EnumerateFiles(directory).Select(FromPath).OfType<NpbBinary>()
            .OrderBy(b => StudyWorkloads.NpbOrder(b.Workload)).ThenBy(b => NpbRules.Classes.IndexOf(b.Class, StringComparison.Ordinal))];
    }
}
