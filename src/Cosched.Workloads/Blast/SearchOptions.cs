namespace Cosched.Workloads.Blast;

/// <summary>What `cosched blast search` was asked to do.</summary>
public sealed record SearchOptions(string DatabaseDirectory, string QueryPath)
{
    public double EValue { get; init; } = 10;
    public int MaxTargetSequences { get; init; } = 500;
    /// <summary>Where the tabular output goes; null: standard output.</summary>
    public string? OutputPath { get; init; }
    /// <summary>Queries handed to a partition at a time by the super-master.</summary>
    public int SegmentSize { get; init; } = 8;
    /// <summary>Partitions (a master and its workers each); 0: one per 8 ranks.</summary>
    public int Partitions { get; init; }
    /// <summary>Print a JSON summary (<see cref="SearchSummary"/>) on standard output; the tabular
    /// output then goes only to <see cref="OutputPath"/>, if given.</summary>
    public bool Json { get; init; }

    public string? Validate()
    {
        if (!(EValue > 0)) return $"--evalue must be positive (got {EValue})";
        if (MaxTargetSequences < 1) return $"--max-target-seqs must be at least 1 (got {MaxTargetSequences})";
        if (Partitions < 0) return $"--partitions must be 0 (automatic) or more (got {Partitions})";
        return null;
    }
}
