namespace Cosched.Messaging.Migration;

/// <summary>Words of the migration protocol between launcher and rank (one text line each; rank
/// lists comma-separated, "-" for none). Launcher to rank: SUSPEND move moving-ranks gone-ranks;
/// ATTACH move host-segment-path|- host (moving VM only); RESELECT move gone-ranks; SHARE move ranks
/// cores (each rank: how many ranks now compete for its cores, and how many cores it has); DONE move json.
/// Rank to launcher: SUSPENDED move; ATTACHED move; RESELECTED move longest-wait-us; PHASE timed; LEFT.</summary>
public static class ControlWords
{
    public const string Suspend = "SUSPEND", Attach = "ATTACH", Reselect = "RESELECT", Share = "SHARE", Done = "DONE";
    public const string Suspended = "SUSPENDED", Attached = "ATTACHED", Reselected = "RESELECTED", Phase = "PHASE", Left = "LEFT";

    /// <summary>"-" for an empty list, else the ranks joined by commas.</summary>
    public static string FormatRanks(IEnumerable<int> ranks)
    {
        var text = string.Join(',', ranks);
        return text.Length == 0 ? "-" : text;
    }

    public static HashSet<int> ParseRanks(string text) =>
        text == "-" ? [] : text.Split(',').Select(int.Parse).ToHashSet();
}
