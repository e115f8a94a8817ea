using System.Text.RegularExpressions;

namespace Cosched.Study.Plan;

/// <summary>One of NPB's own benchmark programs, found by the name NPB's make gives it in its bin/
/// folder: KERNEL.CLASS.x (cg.A.x) for NPB3.4-MPI, KERNEL-mz.CLASS.x (bt-mz.A.x) for the multi-zone
/// versions of NPB3.4-MZ, and KERNEL.CLASS.NPROCS (bt-mz.A.2) for NPB 3.3 (NPB3.3-MZ-MPI, public
/// in NPB3.3.1-MZ), whose make fixes the process count too. The class (and such a count) is the one
/// the binary was built for, so it is read from the name, not chosen by the study.</summary>
/// <param name="Kernel">"cg", "bt-mz" ...: NPB's name in lower case.</param>
/// <param name="Processes">the process count a 3.3 binary was built for; null when it takes any.</param>
public sealed partial record NpbBinary(string Kernel, string Class, string Path, int? Processes = null)
{
    public bool IsMultiZone => StudyWorkloads.NpbMultiZoneKernels.Contains(Kernel);

    /// <summary>The study's name for it ("npb:cg"), as --workloads and the database spell it.</summary>
    public string Workload => StudyWorkloads.NpbPrefix + Kernel;

    /// <summary>Whether it runs on <paramref name="processes"/> processes.</summary>
    public bool RunsOn(int processes) => Processes == null || Processes == processes;

    /// <summary>Its name as NPB's make gives it.</summary>
    public string FileName => $"{Kernel}.{Class}.{(Processes is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "x")}";

    [GeneratedRegex(@"^(?<kernel>[a-z]+(-mz)?)\.(?<class>[SWABCDEF])\.(?<processes>x|[1-9][0-9]*)$")]
    private static partial Regex NameRule();

    /// <summary>The binary a file name stands for; null when the name is not an NPB kernel's.</summary>
    public static NpbBinary? FromPath(string path)
    {
        var match = NameRule().Match(System.IO.Path.GetFileName(path));
        if (!match.Success) return null;
        string kernel = match.Groups["kernel"].Value;
        return StudyWorkloads.NpbKernels.Contains(kernel) || StudyWorkloads.NpbMultiZoneKernels.Contains(kernel)
            ? new NpbBinary(kernel, match.Groups["class"].Value, System.IO.Path.GetFullPath(path),
                match.Groups["processes"].Value is var p && p != "x" ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : null) : null;
    }

    /// <summary>The NPB binaries in <paramref name="directory"/>, in the paper's order of the kernels
    /// (BT, LU, SP, CG, FT, then MG, EP, IS, then the multi-zone ones) and by class, smallest first.</summary>
    public static List<NpbBinary> In(string directory)
    {
        return [.. Directory.EnumerateFiles(directory).Select(FromPath).OfType<NpbBinary>()
            .OrderBy(b => StudyWorkloads.NpbOrder(b.Workload)).ThenBy(b => NpbRules.Classes.IndexOf(b.Class, StringComparison.Ordinal)).ThenBy(b => b.Processes ?? 0)];
    }
}
