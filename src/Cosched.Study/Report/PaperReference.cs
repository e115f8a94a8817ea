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

    public const string Source = "Pickartz et al., Implications of Process-Migration in Virtualized Environments: 16 ranks, Intel MPI, VMs on one host over SR-IOV InfiniBand";
}
