using System.Text.Json;
using System.Text.Json.Serialization;
using Cosched.Domains;

namespace Cosched.Launch;

/// <summary>One running job as `cosched jobs` lists it; its job.json (mode 0600: the secret in it
/// is what lets its owner, and only its owner, talk to the control socket).</summary>
public sealed record JobEntry
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("launcher_pid")] public int LauncherPid { get; init; }
    [JsonPropertyName("started")] public DateTime Started { get; init; }
    [JsonPropertyName("command")] public string Command { get; init; } = "";
    [JsonPropertyName("ranks")] public int Ranks { get; init; }
    [JsonPropertyName("vms")] public int Vms { get; init; }
    [JsonPropertyName("vm_kind")] public string VmKind { get; init; } = "";
    [JsonPropertyName("hosts")] public int Hosts { get; init; }
    [JsonPropertyName("host_of_vm")] public int[] HostOfVm { get; init; } = [];
    [JsonPropertyName("control_socket")] public string ControlSocket { get; init; } = "";
    [JsonPropertyName("secret")] public string Secret { get; init; } = "";
}

[JsonSerializable(typeof(JobEntry))]
internal sealed partial class JobEntryJson : JsonSerializerContext;

/// <summary>The running jobs of this machine, one directory each under
/// <see cref="HostSupport.JobRegistryDirectory"/>.</summary>
public static class JobRegistry
{
    public static string Root => HostSupport.JobRegistryDirectory;

    public static string DirectoryOf(string job) => Path.Combine(Root, job);

    /// <summary>Writes (or rewrites, after a move) the job's entry, mode 0600, through a rename.</summary>
    public static void Write(JobEntry entry)
    {
        Directory.CreateDirectory(Root);
        var dir = DirectoryOf(entry.Id);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(dir, "job.json");
        var partial = path + ".partial";
        File.Delete(partial);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var file = new FileStream(partial, create)) WriteJson(file, entry);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The entry as the source-generated reader expects it, written with Utf8JsonWriter:
    /// every `cosched run` writes one before its ranks start, and the serializer's first use costs
    /// 25 to 33 ms of start-up (its options and metadata), the writer about 8 with its assembly loaded.</summary>
    private static void WriteJson(Stream stream, JobEntry entry)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("id", entry.Id);
        json.WriteNumber("launcher_pid", entry.LauncherPid);
        json.WriteString("started", entry.Started);
        json.WriteString("command", entry.Command);
        json.WriteNumber("ranks", entry.Ranks);
        json.WriteNumber("vms", entry.Vms);
        json.WriteString("vm_kind", entry.VmKind);
        json.WriteNumber("hosts", entry.Hosts);
        json.WriteStartArray("host_of_vm");
        foreach (int host in entry.HostOfVm) json.WriteNumberValue(host);
        json.WriteEndArray();
        json.WriteString("control_socket", entry.ControlSocket);
        json.WriteString("secret", entry.Secret);
        json.WriteEndObject();
    }

    public static void Remove(string job)
    {
        try { Directory.Delete(DirectoryOf(job), recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
    }

    /// <summary>The entry of <paramref name="job"/> if it runs (its launcher is alive), else null.</summary>
    public static JobEntry? Find(string job) =>
        Cleanup.JobOf("cosched-" + job) == job ? Read(Path.Combine(DirectoryOf(job), "job.json")) : null;

    /// <summary>Every job whose launcher is alive, oldest first; entries this user cannot read are skipped.</summary>
    public static IReadOnlyList<JobEntry> List()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.GetDirectories(Root).Select(d => Read(Path.Combine(d, "job.json"))).OfType<JobEntry>().OrderBy(e => e.Started).ToArray();
    }

    private static JobEntry? Read(string path)
    {
        try
        {
            var entry = JsonSerializer.Deserialize(File.ReadAllText(path), JobEntryJson.Default.JobEntry);
            return entry != null && HostSupport.IsAlive(entry.LauncherPid) ? entry : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
