using Cosched.Study.Running;

namespace Cosched.Study.Report;

/// <summary>One run of the migration experiment cut into its phases: before the first move (VMs on
/// two hosts), consolidated (one host) and after the second move (two hosts again). Each phase leaves
/// out the windows next to a move, whose latency is the move's, not the phase's.</summary>
public sealed record MigrationPhases(MigrationPhase Before, MigrationPhase Consolidated, MigrationPhase After)
{
    /// <summary>The start-up's first windows (connections made, code still warming up) are not "before".</summary>
    public const double FirstWindowSeconds = 0.1;

    /// <summary>How long before a move a phase ends: the window in which the move began is left out.</summary>
    public const double BeforeMoveSeconds = 0.03;

    /// <summary>How long after a move's end a phase starts: the channels settle (the old one drained,
    /// the first messages on the new one).</summary>
    public const double AfterMoveSeconds = 0.05;

    /// <summary>The phases of a run that made both moves (consolidate, then spread); every phase empty otherwise.</summary>
    public static MigrationPhases Of(MigrationTimeSeries run)
    {
        if (run.Moves.Count < 2) return new(new([]), new([]), new([]));
        var (consolidate, spread) = (run.Moves[0], run.Moves[1]);
        MigrationPhase Between(double from, double to) => new([.. run.Windows.Where(w => w.Seconds >= from && w.Seconds <= to)]);
        return new(
            Between(FirstWindowSeconds, consolidate.AtSeconds - BeforeMoveSeconds),
            Between(consolidate.EndSeconds + AfterMoveSeconds, spread.AtSeconds - BeforeMoveSeconds),
            Between(spread.EndSeconds + AfterMoveSeconds, double.PositiveInfinity));
    }

    /// <summary>Before, consolidated, after: each phase's name in the report and how to pick it.</summary>
    public static readonly (string Name, Func<MigrationPhases, MigrationPhase> Of)[] Each =
        [("before (2 hosts)", p => p.Before), ("consolidated (1 host)", p => p.Consolidated), ("after (2 hosts)", p => p.After)];

    /// <summary>What the report calls a run's <paramref name="move"/>-th move.</summary>
    public static string MoveName(int move) => move switch { 1 => "consolidate", 2 => "spread", _ => $"move {move}" };
}
