using System.Text.Json;

namespace Cosched.Study.Running;

/// <summary>What a Cosched launcher reported about a job it started (`--launch-report FILE`: one
/// JSON line), as far as the study needs it: the kind of VM its ranks ran in, and whether they
/// shared cores.</summary>
/// <param name="VmKind">"native", "namespace", or "process" (an emulation).</param>
public sealed record LaunchInfo(string VmKind, int Cores, bool Oversubscribed, string Json)
{
    /// <summary>Reads and removes the report a run left; null when the command wrote none (a native
    /// Open MPI run has no Cosched launcher).</summary>
    /// <exception cref="JsonException">the file is not a launch report.</exception>
    public static LaunchInfo? Take(string path)
    {
        if (!File.Exists(path)) return null;
        string json = File.ReadAllText(path).Trim();
        File.Delete(path);
        return Parse(json);
    }

    public static LaunchInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new LaunchInfo(root.GetProperty("vm_kind").GetString() ?? "", root.GetProperty("cores").GetInt32(),
            root.GetProperty("oversubscribed").GetBoolean(), json);
    }
}
