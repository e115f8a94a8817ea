namespace Cosched.Study.Plan;

/// <summary>One thing the study measures: a workload, on one MPI (Cosched or the Open MPI peer), with
/// its ranks, VMs, placement and channel policy. Its <see cref="Key"/> identifies it across runs, so
/// `--resume` knows what is already measured.</summary>
/// <param name="Mpi">"cosched" or "openmpi".</param>
/// <param name="Vms">0 is native: ranks on the host itself.</param>
/// <param name="Channels">locality, per-vm or network (network = tcp everywhere; for Open MPI natively, its tcp transport).</param>
/// <param name="MsgLog">message sizes as MIN:MAX (micro-benchmarks), the NAS class, the BLAST query count, or the migration PingPong's message size in bytes.</param>
/// <param name="Seconds">time one message size may take (micro-benchmarks), or the migration PingPong's length.</param>
public sealed record Configuration(
    string Experiment, string Mpi, string Workload, int Ranks, int Vms, string Pin, string Channels, string MsgLog, double Seconds)
{
    public const string Cosched = "cosched";
    public const string OpenMpi = "openmpi";

    public string Key => $"{Experiment}/{Mpi}/{Workload}/n{Ranks}/vms{Vms}/{Pin}/{Channels}/{MsgLog}";

    /// <summary>Where the ranks run and how they talk, as the report names a line in a plot.</summary>
    public string Scenario => Vms switch
    {
        _ when Experiment == Plan.Experiment.Migration => $"{Vms} VMs moved between 2 hosts, {Channels}",
        0 => Channels == "network" ? "native tcp" : "native shm",
        1 => "1 VM",
        _ => $"{Vms} VMs {Channels}{(Pin == "compact" ? "" : " " + Pin)}",
    };

    /// <summary>What the progress bar shows while this configuration runs.</summary>
    public string Label => $"{(Mpi == OpenMpi ? "Open MPI " : "")}{Workload} {Scenario}, {Ranks} ranks";
}
