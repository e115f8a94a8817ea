using System.Text.Json;

namespace Cosched.Scheduling.Real;

/// <summary>One job of a queue file: <c>{"name": "mg1", "command": "npb mg --class W", "ranks": 2, "submit_s": 0}</c>.</summary>
public sealed record QueueEntry(string Name, string Command, int Ranks, double SubmitS);

/// <summary>Reads a real run's queue: <c>{"jobs": [QueueEntry, ...]}</c>; any problem is one line
/// naming the file and the job (<see cref="FormatException"/>).</summary>
public static class QueueFile
{
    public static IReadOnlyList<QueueEntry> Read(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"{path}: no such queue file");
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new FormatException($"{path}: not JSON: {e.Message.Split('\n')[0]}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{path}: expected {{\"jobs\": [...]}}");
            var entries = new List<QueueEntry>();
            int i = 0;
            foreach (var job in jobs.EnumerateArray())
            {
                string where = $"{path}: job {i + 1}";
                if (job.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}: expected an object");
                string name = String(job, "name", where) ?? $"job{i + 1}";
                where = $"{path}: job '{name}'";
                string command = String(job, "command", where) ?? throw new FormatException($"{where}: no \"command\"");
                if (command.Trim().Length == 0) throw new FormatException($"{where}: empty \"command\"");
                int ranks = job.TryGetProperty("ranks", out var r) ? (r.TryGetInt32(out var n) ? n : throw new FormatException($"{where}: \"ranks\" must be a whole number")) : 1;
                if (ranks < 1) throw new FormatException($"{where}: \"ranks\" must be at least 1 (got {ranks})");
                double submit = job.TryGetProperty("submit_s", out var s) ? (s.TryGetDouble(out var d) ? d : throw new FormatException($"{where}: \"submit_s\" must be a number")) : 0;
                if (submit < 0 || double.IsNaN(submit)) throw new FormatException($"{where}: \"submit_s\" must not be negative (got {submit})");
                if (entries.Any(e => e.Name == name)) throw new FormatException($"{where}: two jobs are called '{name}'");
                entries.Add(new QueueEntry(name, NormaliseCommand(command), ranks, submit));
                i++;
            }
            if (entries.Count == 0) throw new FormatException($"{path}: the queue has no jobs");
            return entries;
        }
    }

    /// <summary>A command line with single spaces, as profiles record it.</summary>
    public static string NormaliseCommand(string command) =>
        string.Join(' ', command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string? String(JsonElement job, string property, string where) =>
        !job.TryGetProperty(property, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"{where}: \"{property}\" must be a string");
}
