namespace Cosched.Messaging;

/// <summary>What a rank needs to join its job; the launcher passes it in COSCHED_* variables.</summary>
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
    public const string BootstrapVariable = "COSCHED_BOOTSTRAP";
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

    /// <summary>Settings from the environment, or null when the launcher did not start us.</summary>
    public static JobSettings? FromEnvironment(out string? bootstrapPath)
    {
        bootstrapPath = Environment.GetEnvironmentVariable(BootstrapVariable);
        var rankText = Environment.GetEnvironmentVariable(RankVariable);
        if (rankText == null) return null;
        if (!int.TryParse(rankText, out int rank) || !int.TryParse(Environment.GetEnvironmentVariable(SizeVariable), out int size) ||
            size < 1 || rank < 0 || rank >= size)
            throw new BootstrapException($"bad {RankVariable}/{SizeVariable} in the environment");
        var secret = Environment.GetEnvironmentVariable(SecretVariable) ?? throw new BootstrapException($"{SecretVariable} is not set");
        var policyText = Environment.GetEnvironmentVariable(ChannelsVariable) ?? "locality";
        if (!ChannelPolicies.TryParse(policyText, out var policy)) throw new BootstrapException($"unknown channel policy '{policyText}'");
        if (bootstrapPath == null) throw new BootstrapException($"{BootstrapVariable} is not set");
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
