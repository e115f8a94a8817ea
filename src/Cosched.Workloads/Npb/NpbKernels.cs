namespace Cosched.Workloads.Npb;

/// <summary>The kernels `cosched npb` knows, by name.</summary>
public static class NpbKernels
{
    public static IReadOnlyList<INpbKernel> All { get; } =
    [
        new Ep.EpKernel(),
        new Cg.CgKernel(),
        new Ft.FtKernel(),
        new Mg.MgKernel(),
        new Is.IsKernel(),
    ];

    public static IReadOnlyList<string> Names => [.. All.Select(kernel => kernel.Name)];

    public static INpbKernel? Find(string? name) =>
        All.FirstOrDefault(kernel => string.Equals(kernel.Name, name, StringComparison.OrdinalIgnoreCase));
}
