namespace Cosched.Study.Plan;

/// <summary>The paper's three experiments, and the migration the paper's title is about, as the study
/// names them in its database and report.</summary>
public static class Experiment
{
    /// <summary>Latency and bandwidth between two ranks (the paper's Fig. 1).</summary>
    public const string PointToPoint = "point-to-point";

    /// <summary>Collectives over message sizes and VM counts (Table 1 and Fig. 4).</summary>
    public const string Collectives = "collectives";

    /// <summary>NAS kernels (Cosched's C# ones, and NPB's own binaries of --npb DIR) and the BLAST search
    /// over VM counts, as overhead against one VM (Fig. 3).</summary>
    public const string Applications = "applications";

    /// <summary>NPB's multi-zone benchmarks (BT-MZ, SP-MZ, LU-MZ) in every processes x threads mix that
    /// fills the host, natively and in VMs, against native (Fig. 2).</summary>
    public const string MultiZone = "multi-zone";

    /// <summary>PingPong's latency over time while a VM moves: two VMs on two hosts consolidated onto
    /// one host and spread again, with each move's phases.</summary>
    public const string Migration = "migration";
}
