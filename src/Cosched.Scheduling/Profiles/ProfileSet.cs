using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cosched.Scheduling.Profiles;

/// <summary>Every measured profile of one machine: the applications, their pairwise co-run
/// slowdowns and what a live migration costs. The simulator and the <c>cosched</c> policy read run
/// times and costs only from here.</summary>
/// <param name="Applications">One profile per application.</param>
/// <param name="CoRuns">Slowdown of <c>App</c> (its time beside <c>Beside</c> over its time alone)
/// when the two run side by side on one host, each on half its cores.</param>
/// <param name="MigrationSeconds">Median time one VM's move takes end to end (suspend to resume):
/// the simulator pauses a moving job for it.</param>
/// <param name="Machine">Where they were measured (CPU model and cores), for the report.</param>
public sealed record ProfileSet(
    IReadOnlyList<ApplicationProfile> Applications,
    IReadOnlyList<CoRun> CoRuns,
    double MigrationSeconds,
    string Machine)
{
    /// <summary>GB/s the STREAM probe gets alone on one half of the cores (0 when not measured): the
    /// reference of every application's <see cref="ApplicationProfile.Bandwidth"/>.</summary>
    public double ProbeGBps { get; init; }

    /// <summary>The VM provider the split overheads were measured with: namespace (real network
    /// namespaces, as root) or process (an emulation); empty when not measured.</summary>
    public string SplitVmKind { get; init; } = "";

    private Dictionary<(string, string), double>? slowdowns;
    private Dictionary<string, ApplicationProfile>? byName;

    public ApplicationProfile this[string name] =>
        (byName ??= Applications.ToDictionary(a => a.Name, StringComparer.Ordinal)).TryGetValue(name, out var p)
            ? p : throw new KeyNotFoundException($"no profile for application '{name}' (profiled: {string.Join(", ", Applications.Select(a => a.Name))})");

    public bool Has(string name) => Applications.Any(a => a.Name == name);

    /// <summary>Slowdown of <paramref name="app"/> beside <paramref name="beside"/>; an unmeasured
    /// pair is predicted from bandwidth: 1 + the excess of their summed bandwidth over the host's.</summary>
    public double Slowdown(string app, string beside)
    {
        slowdowns ??= CoRuns.ToDictionary(c => (c.App, c.Beside), c => c.Slowdown);
        if (slowdowns.TryGetValue((app, beside), out var s)) return Math.Max(1.0, s);
        return 1.0 + Math.Max(0.0, this[app].Bandwidth + this[beside].Bandwidth - 1.0);
    }

    public string ToJson() => JsonSerializer.Serialize(this, ProfileJsonContext.Default.ProfileSet);

    public static ProfileSet FromJson(string json) =>
        JsonSerializer.Deserialize(json, ProfileJsonContext.Default.ProfileSet) ?? throw new JsonException("empty profile set");
}

/// <summary>Slowdown of <paramref name="App"/> beside <paramref name="Beside"/> on one host.</summary>
public sealed record CoRun(string App, string Beside, double Slowdown);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ProfileSet))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
