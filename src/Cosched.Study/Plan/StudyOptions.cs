namespace Cosched.Study.Plan;

/// <summary>What a study measures and where it keeps the results: `cosched study`'s options, after
/// the defaults that scale to the host were filled in.</summary>
public sealed record StudyOptions
{
    public required string OutDir { get; init; }
    /// <summary>Ranks of the applications.</summary>
    public required int Ranks { get; init; }
    /// <summary>VM counts of the applications, 0 (native) first when measured.</summary>
    public required int[] VmCounts { get; init; }
    /// <summary>The rank counts the collectives run at, each with its VM counts and collectives.</summary>
    public required IReadOnlyList<CollectiveScale> CollectiveScales { get; init; }
    public required string[] Pins { get; init; }
    /// <summary>Channel policies measured across VMs (per-vm, locality).</summary>
    public required string[] Channels { get; init; }
    public required string[] Workloads { get; init; }
    /// <summary>Message sizes of point-to-point, MIN:MAX as --msglog.</summary>
    public required string PingPongMsgLog { get; init; }
    /// <summary>Seconds one message size may take.</summary>
    public required double Seconds { get; init; }
    /// <summary>Independent runs of each configuration, interleaved: round 1 of every configuration, then round 2...</summary>
    public int Rounds { get; init; } = 1;
    /// <summary>Runs of the short micro-benchmarks (point-to-point, and the collectives on <see cref="Ranks"/>
    /// ranks), when more than <see cref="Rounds"/>: they cost a second or two each, and their
    /// sub-microsecond figures switch between two levels from one launch to the next on a shared host,
    /// which three runs a side can mistake for a difference.</summary>
    public int ShortRounds { get; init; }

    /// <summary>How many runs <paramref name="configuration"/> gets.</summary>
    public int RoundsOf(Configuration configuration) =>
        configuration.Experiment == Experiment.PointToPoint || (configuration.Experiment == Experiment.Collectives && configuration.Ranks == Ranks)
            ? Math.Max(Rounds, ShortRounds) : Rounds;
    /// <summary>The NAS problem class (S, W, A, B, C) of every kernel; null: each kernel's class is
    /// calibrated (the smallest that runs long enough to time, see <see cref="Running.ApplicationCalibration"/>).</summary>
    public string? NasClass { get; init; }
    /// <summary>Queries of the BLAST search (against <see cref="Running.BlastStudyData"/>'s database).</summary>
    public int BlastQueries { get; init; } = DefaultBlastQueries(quick: false);
    /// <summary>Seconds of the migration experiment's PingPong: the VM moves at a third and at two thirds of it.</summary>
    public double MigrationSeconds { get; init; } = DefaultMigrationSeconds;
    /// <summary>"openmpi" to run the Open MPI peer, else null.</summary>
    public string? Peer { get; init; }
    /// <summary>The Intel MPI Benchmarks binary for the peer.</summary>
    public string? ImbPath { get; init; }
    /// <summary>An IMB-MPI1 built with `cosched mpicc` (--imb-cosched): run under `cosched run` in the
    /// configurations of Cosched's own micro-benchmarks, a third implementation beside them and Open MPI.</summary>
    public string? CoschedImbPath { get; init; }
    /// <summary>NPB 3.4's binaries of --npb DIR; those whose workload ("npb:cg") is in <see cref="Workloads"/> run.</summary>
    public IReadOnlyList<NpbBinary> NpbBinaries { get; init; } = [];
    /// <summary>The host's cores, which each multi-zone mix fills.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;
    public bool Resume { get; init; }

    public static readonly string[] ChannelNames = ["per-vm", "locality"];

    /// <summary>Long enough for a second of each phase (before, consolidated, spread again), in --quick too.</summary>
    public const double DefaultMigrationSeconds = 3;

    /// <summary>The migration experiment's message size: small, so the latency shows which channel carries it.</summary>
    public const long MigrationBytes = 8;

    /// <summary>The paper's rank count (Table 1, Fig. 4).</summary>
    public const int PaperRanks = 16;

    /// <summary>The rank count --quick adds for barrier and alltoall, so that Table 1 has VM columns up to 8.</summary>
    public const int QuickWideRanks = 8;

    public static readonly string[] QuickWideCollectives = ["barrier", "alltoall"];

    /// <summary>Runs of each configuration: at least 3 in --quick, 5 in the full study.</summary>
    public static int DefaultRounds(bool quick) => quick ? 3 : 5;

    /// <summary>Runs of the short micro-benchmarks: 5 everywhere.</summary>
    public const int DefaultShortRounds = 5;

    /// <summary>Enough queries that the search runs for over a second on 2 cores.</summary>
    public static int DefaultBlastQueries(bool quick) => quick ? 64 : 192;
    public static readonly string[] NasClasses = ["S", "W", "A", "B", "C"];

    /// <summary>The ranks of the applications (and of --quick's collectives): the host's cores, at
    /// least 2; --quick stops at 4 so that it stays short (5 to 8 minutes on 2 cores).</summary>
    public static int DefaultRanks(bool quick, int cores) => quick ? Math.Clamp(cores, 2, 4) : Math.Max(2, cores);

    /// <summary>Native, then the powers of two up to the rank count (--quick: up to 2, enough to show
    /// the effect and its cure).</summary>
    public static int[] DefaultVmCounts(bool quick, int ranks) => PowersOfTwo(quick ? Math.Min(2, ranks) : ranks);

    /// <summary>0 (native), 1, 2, 4 ... up to <paramref name="most"/>.</summary>
    public static int[] PowersOfTwo(int most)
    {
        var counts = new List<int> { 0 };
        for (int k = 1; k <= most; k *= 2) counts.Add(k);
        return [.. counts];
    }

    /// <summary>The collectives' rank counts. The full study: the paper's 16 ranks over 0, 1, 2 ... 16
    /// VMs (oversubscribed on a smaller host), sizes up to 4 MiB. --quick: every collective on
    /// <paramref name="ranks"/> ranks over 0, 1, 2 VMs, plus barrier and alltoall at small sizes on 8
    /// ranks over 0 ... 8 VMs. --ranks N (<paramref name="chosenRanks"/>): N ranks only.
    /// <paramref name="vmCounts"/> (--vms) narrows the VM counts of every scale.</summary>
    public static List<CollectiveScale> DefaultScales(bool quick, int ranks, int? chosenRanks, int[]? vmCounts, string msgLog, string? wideMsgLog = null)
    {
        int[] Vms(int n, int[] fallback) => vmCounts == null ? fallback : [.. vmCounts.Where(k => k <= n)];
        if (chosenRanks is { } n) return [new(n, Vms(n, DefaultVmCounts(quick, n)), Plan.StudyWorkloads.Collectives, msgLog)];
        if (!quick) return [new(PaperRanks, Vms(PaperRanks, PowersOfTwo(PaperRanks)), Plan.StudyWorkloads.Collectives, msgLog)];
        var scales = new List<CollectiveScale> { new(ranks, Vms(ranks, DefaultVmCounts(quick, ranks)), Plan.StudyWorkloads.Collectives, msgLog) };
        if (QuickWideRanks > ranks)
            scales.Add(new(QuickWideRanks, Vms(QuickWideRanks, PowersOfTwo(QuickWideRanks)), QuickWideCollectives, wideMsgLog ?? msgLog));
        return scales;
    }
}

/// <summary>One rank count the collectives run at: which collectives, over which VM counts, at which message sizes.</summary>
public sealed record CollectiveScale(int Ranks, int[] VmCounts, string[] Collectives, string MsgLog);
