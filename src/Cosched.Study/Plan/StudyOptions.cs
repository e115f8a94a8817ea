namespace Cosched.Study.Plan;

/// <summary>What a study measures and where it keeps the results: `cosched study`'s options, after
/// the defaults that scale to the host were filled in.</summary>
public sealed record StudyOptions
{
    public required string OutDir { get; init; }
    public bool Quick { get; init; }
    public required int Ranks { get; init; }
    /// <summary>VM counts, 0 (native) first.</summary>
    public required int[] VmCounts { get; init; }
    public required string[] Pins { get; init; }
    /// <summary>Channel policies measured across VMs (per-vm, locality).</summary>
    public required string[] Channels { get; init; }
    public required string[] Workloads { get; init; }
    /// <summary>Message sizes of the collectives, MIN:MAX as --msglog.</summary>
    public required string CollectiveMsgLog { get; init; }
    /// <summary>Message sizes of point-to-point.</summary>
    public required string PingPongMsgLog { get; init; }
    /// <summary>Seconds one message size may take.</summary>
    public required double Seconds { get; init; }
    /// <summary>How many times each configuration runs (the report keeps each size's best round, an application's fastest).</summary>
    public int Rounds { get; init; } = 1;
    /// <summary>NAS problem class (S, W, A, B, C).</summary>
    public required string NasClass { get; init; }
    /// <summary>Queries of the BLAST search (against <see cref="Running.BlastStudyData"/>'s database).</summary>
    public int BlastQueries { get; init; } = DefaultBlastQueries(quick: false);
    /// <summary>"openmpi" to run the Open MPI peer, else null.</summary>
    public string? Peer { get; init; }
    /// <summary>The Intel MPI Benchmarks binary for the peer.</summary>
    public string? ImbPath { get; init; }
    public bool Resume { get; init; }

    public static readonly string[] ChannelNames = ["per-vm", "locality"];

    /// <summary>Enough queries that the search runs for seconds, not milliseconds, on 2 cores.</summary>
    public static int DefaultBlastQueries(bool quick) => quick ? 48 : 192;
    public static readonly string[] NasClasses = ["S", "W", "A", "B", "C"];

    /// <summary>The default rank count: the host's cores, at least 2 (the paper used 16); --quick stops at 4
    /// so that it stays within five minutes.</summary>
    public static int DefaultRanks(bool quick, int cores) => quick ? Math.Clamp(cores, 2, 4) : Math.Max(2, cores);

    /// <summary>Native, then the powers of two up to the rank count (--quick: up to 2, enough to show
    /// the effect and its cure).</summary>
    public static int[] DefaultVmCounts(bool quick, int ranks)
    {
        var counts = new List<int> { 0 };
        for (int k = 1; k <= (quick ? Math.Min(2, ranks) : ranks); k *= 2) counts.Add(k);
        return [.. counts];
    }
}
