namespace Cosched.Study.Report;

/// <summary>The numbers the paper (Pickartz et al., 16 ranks under Intel MPI, VMs on one host talking
/// over SR-IOV InfiniBand) reports, for the report to show beside this host's.</summary>
public static class PaperReference
{
    /// <summary>Table 1: MPI barrier latency in microseconds by VM count (0 = native), compact pinning.</summary>
    public static readonly IReadOnlyDictionary<int, double> BarrierUsec = new Dictionary<int, double>
    {
        [0] = 2.05, [1] = 2.10, [2] = 8.07, [4] = 19.44, [8] = 9.10, [16] = 13.58,
    };

    /// <summary>Barrier in 4 VMs with scatter pinning (Sect. 5.1).</summary>
    public const double BarrierScatter4VmsUsec = 10.68;

    public const int Ranks = 16;

    /// <summary>Point-to-point latency (Sect. 5): native shared memory, native InfiniBand, between VMs.</summary>
    public const double PingPongNativeShmUsec = 0.27, PingPongNativeIbUsec = 1.37, PingPongVmIbUsec = 1.39;

    /// <summary>The slowdowns the text names for small messages: broadcast 1.5x in 2 VMs and 6.3x in 16;
    /// alltoall 16x in 16 VMs (4.5x for large messages).</summary>
    public const double BcastSlowdown2Vms = 1.5, BcastSlowdown16Vms = 6.3, AlltoallSlowdown16Vms = 16, AlltoallLargeSlowdown16Vms = 4.5;

    /// <summary>Bandwidth between two VMs as a share of native shared memory's (Fig. 1: about 45%).</summary>
    public const double PingPongVmBandwidthShare = 0.45;

    /// <summary>The slowdown against native the paper reports for a collective at small messages in
    /// <paramref name="vms"/> VMs, where it reports one: barrier (Table 1, and scatter in 4 VMs),
    /// bcast in 2 and 16 VMs, alltoall in 16 VMs.</summary>
    public static double? CollectiveSlowdown(string collective, int vms, string pin) => (collective, vms, pin) switch
    {
        ("barrier", 4, "scatter") => BarrierScatter4VmsUsec / BarrierUsec[0],
        ("barrier", _, "compact") when BarrierUsec.TryGetValue(vms, out var usec) && vms > 0 => usec / BarrierUsec[0],
        ("bcast", 2, "compact") => BcastSlowdown2Vms,
        ("bcast", 16, "compact") => BcastSlowdown16Vms,
        ("alltoall", 16, "compact") => AlltoallSlowdown16Vms,
        _ => null,
    };

    public const string Source = "Pickartz et al., Implications of Process-Migration in Virtualized Environments: 16 ranks, Intel MPI, VMs on one host over SR-IOV InfiniBand";
}
