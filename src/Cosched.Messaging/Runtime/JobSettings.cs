namespace Cosched.Messaging;

/// <summary>What a rank needs to join its job; Cosched's launcher passes it in COSCHED_* variables,
/// under PMIx it comes from the PMIx server (<see cref="PmixBootstrap"/>).</summary>
public sealed record JobSettings(
    int Rank,
    int Size,
    string Secret,
    ChannelPolicy Policy,
    string? SegmentPath,
    string BindAddress = "127.0.0.1")
{
    public const string RankVariable = "COSCHED_RANK";
    public const string SizeVariable = "COSCHED_SIZE";
    public const string SecretVariable = "COSCHED_SECRET";
    public const string ChannelsVariable = "COSCHED_CHANNELS";
    public const string SegmentVariable = "COSCHED_SHM";
    /// <summary>launcher or pmix: which bootstrap a rank joins through (unset: from the environment).</summary>
    public const string BootstrapVariable = "COSCHED_BOOTSTRAP";
    /// <summary>The launcher's bootstrap socket.</summary>
    public const string BootstrapSocketVariable = "COSCHED_BOOTSTRAP_SOCKET";
    /// <summary>Under PMIx on several nodes: the network interface whose address other nodes use.</summary>
    public const string TcpInterfaceVariable = "COSCHED_TCP_IF";
    public const string BindVariable = "COSCHED_BIND";
    public const string JobVariable = "COSCHED_JOB";
    public const string HostSegmentVariable = "COSCHED_HOST_SHM";
    public const string ReportBindingsVariable = "COSCHED_REPORT_BINDINGS";
    public const string HostVariable = "COSCHED_HOST";
    public const string MigratableVariable = "COSCHED_MIGRATABLE";
    /// <summary>1: a rank that holds a move up says every second what each of its channels waits for.</summary>
    public const string TraceMovesVariable = "COSCHED_TRACE_MOVES";
    /// <summary>Ranks that may compete for this rank's cores (a hint for spinning, never a channel choice).</summary>
    public const string HostRanksVariable = "COSCHED_HOST_RANKS";

    /// <summary>The host the rank starts on (-1: not told; the whole machine is one host).</summary>
    public int Host { get; init; } = -1;

    /// <summary>The job's VMs may move: communicators then agree now and then whether their
    /// shared-memory groups changed (the launcher sets it for every rank alike).</summary>
    public bool Migratable { get; init; }

    /// <summary>See <see cref="TraceMovesVariable"/>.</summary>
    public bool TraceMoves { get; init; }

    /// <summary>The host-wide segment (the ivshmem analogue) when the rank runs in a VM and the
    /// policy is locality; <see cref="SegmentPath"/> is then its VM's own segment.</summary>
    public string? HostSegmentPath { get; init; }

    /// <summary>The node's name where a foreign launcher (PMIx) started the rank; null under Cosched's own.</summary>
    public string? Node { get; init; }

    /// <summary>This rank made <see cref="SegmentPath"/> and removes its name once every rank has
    /// joined (under PMIx, where no launcher does it).</summary>
    public bool RemoveSegmentAfterWireup { get; init; }

    /// <summary>The job's ranks on this machine in all, where the bootstrap could tell (PMIx: the ranks
    /// that run on this very kernel, even as different Slurm nodes); 0 when unknown. A scheduling
    /// hint, as COSCHED_HOST_RANKS is from Cosched's launcher.</summary>
    public int MachineRanks { get; init; }

    /// <summary>The channel policy a rank started by srun or mpirun takes (COSCHED_CHANNELS, default locality).</summary>
    public static ChannelPolicy PolicyFromEnvironment()
    {
        var policyText = Environment.GetEnvironmentVariable(ChannelsVariable) ?? "locality";
        return ChannelPolicies.TryParse(policyText, out var policy) ? policy : throw new BootstrapException($"unknown channel policy '{policyText}' in {ChannelsVariable}");
    }

    /// <summary>Settings from the variables Cosched's launcher sets, and its socket.</summary>
    public static JobSettings FromLauncher(out string socketPath)
    {
        var rankText = Environment.GetEnvironmentVariable(RankVariable) ?? throw new BootstrapException($"{RankVariable} is not set: Cosched's launcher did not start this process");
        if (!int.TryParse(rankText, out int rank) || !int.TryParse(Environment.GetEnvironmentVariable(SizeVariable), out int size) ||
            size < 1 || rank < 0 || rank >= size)
            throw new BootstrapException($"bad {RankVariable}/{SizeVariable} in the environment");
        var secret = Environment.GetEnvironmentVariable(SecretVariable) ?? throw new BootstrapException($"{SecretVariable} is not set");
        var policy = PolicyFromEnvironment();
        socketPath = Environment.GetEnvironmentVariable(BootstrapSocketVariable) ?? throw new BootstrapException($"{BootstrapSocketVariable} is not set");
        return new JobSettings(rank, size, secret, policy, Environment.GetEnvironmentVariable(SegmentVariable),
            Environment.GetEnvironmentVariable(BindVariable) ?? "127.0.0.1")
        {
            HostSegmentPath = Environment.GetEnvironmentVariable(HostSegmentVariable),
            Host = int.TryParse(Environment.GetEnvironmentVariable(HostVariable), out int host) ? host : -1,
            Migratable = Environment.GetEnvironmentVariable(MigratableVariable) == "1",
            TraceMoves = Environment.GetEnvironmentVariable(TraceMovesVariable) == "1",
        };
    }
}
