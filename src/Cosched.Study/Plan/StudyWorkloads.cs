namespace Cosched.Study.Plan;

/// <summary>The workloads a study can measure, by the names `--workloads` accepts, and the experiment
/// each belongs to.</summary>
public static class StudyWorkloads
{
    public const string PingPong = "pingpong";

    /// <summary>The paper's five collectives, in the order of its Fig. 4.</summary>
    public static readonly string[] Collectives = ["barrier", "bcast", "allreduce", "allgather", "alltoall"];

    /// <summary>The NAS kernels `cosched npb` runs.</summary>
    public static readonly string[] NasKernels = ["ep", "cg", "ft", "mg", "is"];

    /// <summary>The protein search `cosched blast search` runs (the paper's mpiBLAST).</summary>
    public const string Blast = "blast";

    /// <summary>The applications of the paper's Fig. 3: the NAS kernels and the BLAST search.</summary>
    public static readonly string[] Applications = [.. NasKernels, Blast];

    /// <summary>PingPong while a VM moves between hosts (the migration experiment; its own name, so
    /// that no point-to-point figure is ever looked up among its runs).</summary>
    public const string Migration = "migration";

    public static readonly string[] All = [PingPong, .. Collectives, .. Applications, Migration];

    /// <summary>The study's name of an NPB binary of `--npb DIR` starts with this: "npb:cg" is NPB's
    /// own CG, where "cg" is Cosched's C# kernel.</summary>
    public const string NpbPrefix = "npb:";

    /// <summary>In --workloads: every NPB binary of `--npb DIR`.</summary>
    public const string Npb = "npb";

    /// <summary>NPB 3.4's single-zone kernels the study runs from `--npb DIR`: the paper's BT, LU, SP,
    /// CG and FT (Fig. 3b), and MG, EP and IS when they are there.</summary>
    public static readonly string[] NpbKernels = ["bt", "lu", "sp", "cg", "ft", "mg", "ep", "is"];

    /// <summary>NPB3.4-MZ's multi-zone benchmarks (the paper's Fig. 2): MPI between processes, OpenMP inside each.</summary>
    public static readonly string[] NpbMultiZoneKernels = ["bt-mz", "sp-mz", "lu-mz"];

    public static bool IsNpb(string workload) => workload.StartsWith(NpbPrefix, StringComparison.Ordinal);

    /// <summary>The NPB kernel of an "npb:..." workload.</summary>
    public static string NpbKernel(string workload) => workload[NpbPrefix.Length..];

    /// <summary>Where an "npb:..." workload comes in the paper's order: BT, LU, SP, CG, FT, then MG, EP, IS, then the multi-zone ones.</summary>
    public static int NpbOrder(string workload) => Array.IndexOf([.. NpbKernels, .. NpbMultiZoneKernels], NpbKernel(workload));

    public static string ExperimentOf(string workload) =>
        workload == PingPong ? Experiment.PointToPoint
        : workload == Migration ? Experiment.Migration
        : Collectives.Contains(workload) ? Experiment.Collectives
        : Applications.Contains(workload) ? Experiment.Applications
        : IsNpb(workload) && NpbKernels.Contains(NpbKernel(workload)) ? Experiment.Applications
        : IsNpb(workload) && NpbMultiZoneKernels.Contains(NpbKernel(workload)) ? Experiment.MultiZone
        : throw new ArgumentException($"unknown workload '{workload}'");

    /// <summary>How the report names an application: "EP", "BLAST", "BT-MZ" (NPB's own, in a section of its own).</summary>
    public static string Title(string workload) => (IsNpb(workload) ? NpbKernel(workload) : workload).ToUpperInvariant();

    /// <summary>The name Intel MPI Benchmarks gives a micro-benchmark (its command-line argument).</summary>
    public static string ImbName(string workload) => workload switch
    {
        "pingpong" => "PingPong",
        "barrier" => "Barrier",
        "bcast" => "Bcast",
        "allreduce" => "Allreduce",
        "allgather" => "Allgather",
        "alltoall" => "Alltoall",
        _ => throw new ArgumentException($"'{workload}' is not an IMB benchmark"),
    };
}
