namespace Cosched.Scheduling.Profiling;

/// <summary>One application to profile: a Cosched workload command line (`npb mg --class A`,
/// `blast search --db DB --query Q`) and the short name queues, traces and profiles know it by.</summary>
/// <param name="Name">"mg.A" for `npb mg --class A`, "blast" for a BLAST search.</param>
/// <param name="Command">The command line as given, words separated by single spaces.</param>
/// <param name="Arguments">Its words, to which the profiler adds the ranks, placement and format.</param>
public sealed record ProfiledApplication(string Name, string Command, IReadOnlyList<string> Arguments)
{
    /// <summary>What the profiler sets itself on every run; a command that sets them is refused.</summary>
    private static readonly string[] Reserved = ["-n", "--ranks", "--format", "--vms", "--channels", "--hosts", "--vm-hosts", "--migrate", "--launch-report", "--pin", "--vm-kind"];

    /// <summary>Reads a command line; a <see cref="FormatException"/> says in one line what is wrong with it.</summary>
    public static ProfiledApplication Parse(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > 0 && words[0] == "cosched") words = words[1..];
        string shown = string.Join(' ', words);
        if (words.FirstOrDefault(w => Reserved.Contains(w) || Reserved.Any(r => r.StartsWith("--", StringComparison.Ordinal) && w.StartsWith(r + "=", StringComparison.Ordinal))) is { } reserved)
            throw new FormatException($"application '{shown}': leave out {reserved.Split('=')[0]}, cosched profile sets it on every run");
        string name = words switch
        {
            ["npb", var kernel, .. var rest] when !kernel.StartsWith('-') => $"{kernel.ToLowerInvariant()}.{ClassOf(rest).ToUpperInvariant()}",
            ["blast", "search", ..] when words.Contains("--db") && words.Contains("--query") => "blast",
            ["blast", "search", ..] => throw new FormatException($"application '{shown}': a BLAST search needs --db DIR and --query FASTA"),
            _ => throw new FormatException($"unknown application '{shown}' (expected a Cosched workload: 'npb KERNEL --class C' or 'blast search --db DIR --query FASTA')"),
        };
        return new ProfiledApplication(name, shown, words);
    }

    /// <summary>NPB's default class when none is given, as `cosched npb` has it.</summary>
    private static string ClassOf(string[] rest)
    {
        int at = Array.IndexOf(rest, "--class");
        if (at >= 0 && at + 1 < rest.Length) return rest[at + 1];
        return rest.FirstOrDefault(w => w.StartsWith("--class=", StringComparison.Ordinal))?["--class=".Length..] ?? "S";
    }

    /// <summary>The distinct commands of a list, each with a unique name (a second `mg.A` with other
    /// options becomes `mg.A-2`).</summary>
    public static List<ProfiledApplication> Distinct(IEnumerable<string> commands)
    {
        var applications = new List<ProfiledApplication>();
        foreach (var command in commands)
        {
            var application = Parse(command);
            if (applications.Any(a => a.Command == application.Command)) continue;
            string name = application.Name;
            for (int n = 2; applications.Any(a => a.Name == name); n++) name = $"{application.Name}-{n}";
            applications.Add(application with { Name = name });
        }
        return applications;
    }
}
