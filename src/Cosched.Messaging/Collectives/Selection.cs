using System.Numerics;
using Cosched.Messaging.Collectives;

namespace Cosched.Messaging;

// The collectives and their algorithms. These enums are the one list of names: CollectiveAlgorithms
// spells each member in kebab case ("RecursiveDoubling" is "recursive-doubling") for the CLI and
// the COSCHED_<COLLECTIVE> variables. Each algorithm lives in Collectives/<Collective>/<Algorithm>.cs.

/// <summary>The collective operations, in the order of <see cref="CollectiveAlgorithms.Collectives"/>.</summary>
internal enum Collective { Barrier, Bcast, Reduce, Allreduce, Gather, Gatherv, Scatter, Scatterv, Allgather, Allgatherv, Alltoall, Alltoallv, ReduceScatter, ReduceScatterBlock, Scan, Exscan }

internal enum BarrierAlgorithm { Dissemination, RecursiveDoubling, Tree, TwoLevel }
internal enum BcastAlgorithm { Binomial, ScatterAllgather, Pipeline, TwoLevel }
internal enum ReduceAlgorithm { Binomial, ReduceScatterGather, TwoLevel }
internal enum AllreduceAlgorithm { RecursiveDoubling, Rabenseifner, Ring, ReduceBcast, TwoLevel }
internal enum GatherAlgorithm { Binomial, Linear }
internal enum GathervAlgorithm { Linear }
internal enum ScatterAlgorithm { Binomial, Linear }
internal enum ScattervAlgorithm { Linear }
internal enum AllgatherAlgorithm { RecursiveDoubling, Bruck, Ring, TwoLevel }
internal enum AllgathervAlgorithm { Bruck, Ring }
internal enum AlltoallAlgorithm { Bruck, Linear, Pairwise }
internal enum AlltoallvAlgorithm { Linear, Pairwise }
/// <summary>Also the algorithms of ReduceScatterBlock.</summary>
internal enum ReduceScatterAlgorithm { RecursiveHalving, Pairwise, Ring, ReduceThenScatter }
/// <summary>Also the algorithms of Exscan.</summary>
internal enum ScanAlgorithm { RecursiveDoubling, Linear }

/// <summary>The fixed decision table (in the spirit of Open MPI's coll_tuned_decision_fixed.c): picks
/// each collective's algorithm from the rank count and the message size in bytes, unless one is forced.
/// Thresholds follow MPICH's defaults (MPIR_CVAR_*_MSG_SIZE), which suit a shared-memory node.</summary>
internal static class Selection
{
    /// <summary>Below this many bytes latency dominates, so algorithms with the fewest rounds win.</summary>
    private const long ShortReduction = 2048;            // MPIR_CVAR_ALLREDUCE_SHORT_MSG_SIZE
    private const long ShortBcast = 12 * 1024;           // MPIR_CVAR_BCAST_SHORT_MSG_SIZE
    private const long LongBcast = 512 * 1024;           // MPIR_CVAR_BCAST_LONG_MSG_SIZE
    private const int BcastMinRanks = 8;                 // MPIR_CVAR_BCAST_MIN_PROCS
    private const long ShortAllgather = 80 * 1024;       // MPIR_CVAR_ALLGATHER_SHORT_MSG_SIZE (total bytes)
    private const long LongAllgather = 512 * 1024;       // MPIR_CVAR_ALLGATHER_LONG_MSG_SIZE (total bytes)
    private const long ShortAlltoall = 256;              // MPIR_CVAR_ALLTOALL_SHORT_MSG_SIZE (per block)
    private const long MediumAlltoall = 32 * 1024;       // MPIR_CVAR_ALLTOALL_MEDIUM_MSG_SIZE (per block)
    private const long LongReduceScatter = 512 * 1024;   // MPIR_CVAR_REDUCE_SCATTER_COMMUTATIVE_LONG_MSG_SIZE
    private const long LargeRingAllreduce = 256 * 1024;  // ring beats the fold-in of Rabenseifner on odd rank counts
    private const long LinearGatherBlock = 64 * 1024;    // past this, forwarding through a tree only adds copies
    /// <summary>The largest message two-level algorithms were measured at (docs/BENCHMARKS.md, issue 3
    /// two-level section); the table does not pick them beyond it.</summary>
    private const long LongestMeasuredTwoLevel = 64 * 1024;
    /// <summary>Above ShortReduction a two-level allreduce won only with groups this small (with 8 ranks in
    /// 2 VMs Rabenseifner's balanced exchanges beat the leaders' funnel), and a two-level allgather only
    /// with larger groups (with 4 ranks in 2 VMs recursive doubling has a single exchange across VMs).</summary>
    private const int LargestGroupForLongTwoLevelAllreduce = 2;

    /// <summary>False with COSCHED_TOPOLOGY_AWARE=0: the table then never picks a two-level algorithm
    /// (forcing one still works), like MPICH's MPIR_CVAR_ENABLE_SMP_COLLECTIVES=0.</summary>
    internal static bool TopologyAware { get; set; } = Environment.GetEnvironmentVariable("COSCHED_TOPOLOGY_AWARE") != "0";

    /// <summary>The ranks fall into several shared-memory groups, some with more than one rank, and the
    /// table may use that.</summary>
    private static bool Hierarchical(SharedMemoryTopology? topology) => TopologyAware && topology is { IsHierarchical: true };

    private static int Forced(Collective collective) => CollectiveAlgorithms.Forced(collective);

    /// <summary>The forced algorithm, unless it is the two-level one and there is no topology to run
    /// it on (inside one level of a two-level algorithm): then the table decides among the flat ones.</summary>
    private static int Forced(Collective collective, int twoLevel, SharedMemoryTopology? topology)
    {
        int forced = CollectiveAlgorithms.Forced(collective);
        return forced == twoLevel && topology == null ? -1 : forced;
    }

    private static bool IsPowerOfTwo(int p) => (p & (p - 1)) == 0;

    /// <summary>Largest power of two not above p.</summary>
    internal static int PowerOfTwoBelow(int p) => 1 << BitOperations.Log2((uint)p);

    /// <param name="topology">The communicator's shared-memory groups; null rules the two-level algorithm out.</param>
    public static BarrierAlgorithm Barrier(int ranks, SharedMemoryTopology? topology = null)
    {
        int forced = Forced(Collective.Barrier, (int)BarrierAlgorithm.TwoLevel, topology);
        if (forced >= 0) return (BarrierAlgorithm)forced;
        // Measured with 4 and 8 ranks in 2 VMs over per-vm channels: two-level 0.56x to 0.88x of dissemination.
        if (Hierarchical(topology)) return BarrierAlgorithm.TwoLevel;
        // Measured on 2 cores with 8 ranks: dissemination 19 us, recursive doubling 25 us, tree 35-50 us
        // (Open MPI 14 us); with 2 ranks all are one exchange.
        return BarrierAlgorithm.Dissemination;
    }

    public static BcastAlgorithm Bcast(int ranks, long bytes, SharedMemoryTopology? topology = null)
    {
        int forced = Forced(Collective.Bcast, (int)BcastAlgorithm.TwoLevel, topology);
        if (forced >= 0) return (BcastAlgorithm)forced;
        // Measured at 8 B and 64 KiB: two-level 0.32x to 1.00x of the flat choice.
        if (Hierarchical(topology) && bytes <= LongestMeasuredTwoLevel) return BcastAlgorithm.TwoLevel;
        if (bytes < ShortBcast || ranks <= 2) return BcastAlgorithm.Binomial;
        if (bytes >= LongBcast && ranks >= BcastMinRanks) return BcastAlgorithm.Pipeline;
        return BcastAlgorithm.ScatterAllgather;
    }

    public static ReduceAlgorithm Reduce(int ranks, long bytes, int count, bool commutative = true, SharedMemoryTopology? topology = null)
    {
        bool twoLevelKeepsOrder = commutative || topology is { GroupsAreContiguous: true };
        int forced = Forced(Collective.Reduce, (int)ReduceAlgorithm.TwoLevel, topology);
        if (forced == (int)ReduceAlgorithm.TwoLevel && !twoLevelKeepsOrder) forced = -1;
        if (forced >= 0) return (ReduceAlgorithm)forced;
        // Measured: at 64 KiB two-level 0.31x to 1.02x of the flat choice; at 8 B 0.43x to 1.48x, no clear winner.
        if (Hierarchical(topology) && twoLevelKeepsOrder && bytes > ShortReduction && bytes <= LongestMeasuredTwoLevel)
            return ReduceAlgorithm.TwoLevel;
        return bytes > ShortReduction && count >= PowerOfTwoBelow(ranks)
            ? ReduceAlgorithm.ReduceScatterGather : ReduceAlgorithm.Binomial;
    }

    public static AllreduceAlgorithm Allreduce(int ranks, long bytes, int count, bool commutative, SharedMemoryTopology? topology = null)
    {
        // Combining inside groups first reorders operands unless the groups are runs of consecutive ranks.
        bool twoLevelKeepsOrder = commutative || topology is { GroupsAreContiguous: true };
        int forced = Forced(Collective.Allreduce, (int)AllreduceAlgorithm.TwoLevel, topology);
        if (forced >= 0)
        {
            if (!commutative && forced == (int)AllreduceAlgorithm.Ring) return AllreduceAlgorithm.RecursiveDoubling;
            if (forced == (int)AllreduceAlgorithm.TwoLevel && !twoLevelKeepsOrder) return AllreduceAlgorithm.RecursiveDoubling;
            return (AllreduceAlgorithm)forced;
        }
        // Measured: at 8 B two-level wins (0.37x to 1.33x, 7 of 8 runs below 1); at 64 KiB only with groups
        // of 2 (0.70x to 0.96x), while with groups of 4 Rabenseifner wins (two-level 1.15x to 1.69x).
        if (Hierarchical(topology) && twoLevelKeepsOrder &&
            (bytes <= ShortReduction || bytes <= LongestMeasuredTwoLevel && topology!.LargestGroup <= LargestGroupForLongTwoLevelAllreduce))
            return AllreduceAlgorithm.TwoLevel;
        int pof2 = PowerOfTwoBelow(ranks);
        if (bytes <= ShortReduction || count < pof2) return AllreduceAlgorithm.RecursiveDoubling;
        if (commutative && !IsPowerOfTwo(ranks) && bytes >= LargeRingAllreduce) return AllreduceAlgorithm.Ring;
        return AllreduceAlgorithm.Rabenseifner;
    }

    public static GatherAlgorithm Gather(int ranks, long blockBytes)
    {
        int forced = Forced(Collective.Gather);
        if (forced >= 0) return (GatherAlgorithm)forced;
        return ranks <= 3 || blockBytes >= LinearGatherBlock ? GatherAlgorithm.Linear : GatherAlgorithm.Binomial;
    }

    public static GathervAlgorithm Gatherv()
    {
        int forced = Forced(Collective.Gatherv);
        return forced >= 0 ? (GathervAlgorithm)forced : GathervAlgorithm.Linear;
    }

    public static ScatterAlgorithm Scatter(int ranks, long blockBytes)
    {
        int forced = Forced(Collective.Scatter);
        if (forced >= 0) return (ScatterAlgorithm)forced;
        return ranks <= 3 || blockBytes >= LinearGatherBlock ? ScatterAlgorithm.Linear : ScatterAlgorithm.Binomial;
    }

    public static ScattervAlgorithm Scatterv()
    {
        int forced = Forced(Collective.Scatterv);
        return forced >= 0 ? (ScattervAlgorithm)forced : ScattervAlgorithm.Linear;
    }

    public static AllgatherAlgorithm Allgather(int ranks, long totalBytes, SharedMemoryTopology? topology = null)
    {
        int forced = Forced(Collective.Allgather, (int)AllgatherAlgorithm.TwoLevel, topology);
        if (forced >= 0) return (AllgatherAlgorithm)forced;
        // Measured with 64 KiB blocks: two-level 0.18x to 0.54x of the ring with groups of 4, but 1.08x to
        // 2.06x of recursive doubling with groups of 2; with 8 B blocks 0.57x to 1.18x, no clear winner.
        long block = totalBytes / ranks;
        if (Hierarchical(topology) && topology!.LargestGroup > LargestGroupForLongTwoLevelAllreduce &&
            block > ShortReduction && block <= LongestMeasuredTwoLevel)
            return AllgatherAlgorithm.TwoLevel;
        if (totalBytes < LongAllgather && IsPowerOfTwo(ranks)) return AllgatherAlgorithm.RecursiveDoubling;
        return totalBytes < ShortAllgather ? AllgatherAlgorithm.Bruck : AllgatherAlgorithm.Ring;
    }

    public static AllgathervAlgorithm Allgatherv(long totalBytes)
    {
        int forced = Forced(Collective.Allgatherv);
        if (forced >= 0) return (AllgathervAlgorithm)forced;
        return totalBytes < ShortAllgather ? AllgathervAlgorithm.Bruck : AllgathervAlgorithm.Ring;
    }

    public static AlltoallAlgorithm Alltoall(int ranks, long blockBytes)
    {
        int forced = Forced(Collective.Alltoall);
        if (forced >= 0) return (AlltoallAlgorithm)forced;
        if (ranks <= 2) return AlltoallAlgorithm.Pairwise;
        if (blockBytes <= ShortAlltoall && ranks >= 8) return AlltoallAlgorithm.Bruck;
        return blockBytes <= MediumAlltoall ? AlltoallAlgorithm.Linear : AlltoallAlgorithm.Pairwise;
    }

    public static AlltoallvAlgorithm Alltoallv(int ranks, long averageBlockBytes)
    {
        int forced = Forced(Collective.Alltoallv);
        if (forced >= 0) return (AlltoallvAlgorithm)forced;
        return ranks <= 2 || averageBlockBytes > MediumAlltoall ? AlltoallvAlgorithm.Pairwise : AlltoallvAlgorithm.Linear;
    }

    /// <summary>ReduceScatter and ReduceScatterBlock (<paramref name="collective"/> says which override applies).</summary>
    public static ReduceScatterAlgorithm ReduceScatter(Collective collective, long totalBytes, bool commutative)
    {
        int forced = Forced(collective);
        if (forced >= 0)
            return commutative || forced == (int)ReduceScatterAlgorithm.ReduceThenScatter ? (ReduceScatterAlgorithm)forced : ReduceScatterAlgorithm.ReduceThenScatter;
        if (!commutative) return ReduceScatterAlgorithm.ReduceThenScatter;
        return totalBytes < LongReduceScatter ? ReduceScatterAlgorithm.RecursiveHalving : ReduceScatterAlgorithm.Pairwise;
    }

    /// <summary>Scan and Exscan (<paramref name="collective"/> says which override applies).</summary>
    public static ScanAlgorithm Scan(Collective collective, int ranks)
    {
        int forced = Forced(collective);
        if (forced >= 0) return (ScanAlgorithm)forced;
        // With two ranks the chain is one message; recursive doubling would exchange two.
        return ranks <= 2 ? ScanAlgorithm.Linear : ScanAlgorithm.RecursiveDoubling;
    }
}
