using System.Text;

namespace Cosched.Messaging;

/// <summary>The collectives, their algorithms by name, and which algorithm each collective uses: the
/// selection table's choice, or one forced by the environment (<c>COSCHED_ALLREDUCE=ring</c>) or by
/// <see cref="Override(string, string)"/> (the CLI's <c>--algorithm allreduce=ring</c>).</summary>
/// <remarks>Overrides are process-wide and must be the same on every rank of a job. An algorithm that
/// needs a commutative operator is replaced by an order-preserving one for operators that are not.</remarks>
public static class CollectiveAlgorithms
{
    /// <summary>The algorithm name that means "let the selection table decide".</summary>
    public const string Auto = "auto";

    private static readonly string[] CollectiveNames = Kebab(Enum.GetNames<Collective>());

    /// <summary>Algorithm names per collective, derived from the enums in Selection.cs (the one list).</summary>
    private static readonly string[][] AlgorithmNames =
    [
        Kebab(Enum.GetNames<BarrierAlgorithm>()),
        Kebab(Enum.GetNames<BcastAlgorithm>()),
        Kebab(Enum.GetNames<ReduceAlgorithm>()),
        Kebab(Enum.GetNames<AllreduceAlgorithm>()),
        Kebab(Enum.GetNames<GatherAlgorithm>()),
        Kebab(Enum.GetNames<GathervAlgorithm>()),
        Kebab(Enum.GetNames<ScatterAlgorithm>()),
        Kebab(Enum.GetNames<ScattervAlgorithm>()),
        Kebab(Enum.GetNames<AllgatherAlgorithm>()),
        Kebab(Enum.GetNames<AllgathervAlgorithm>()),
        Kebab(Enum.GetNames<AlltoallAlgorithm>()),
        Kebab(Enum.GetNames<AlltoallvAlgorithm>()),
        Kebab(Enum.GetNames<ReduceScatterAlgorithm>()),
        Kebab(Enum.GetNames<ReduceScatterAlgorithm>()),
        Kebab(Enum.GetNames<ScanAlgorithm>()),
        Kebab(Enum.GetNames<ScanAlgorithm>()),
    ];

    private const int AutoChoice = -1, InvalidChoice = -2;
    private static readonly int[] FromEnvironment = new int[CollectiveNames.Length];
    private static readonly string?[] EnvironmentErrors = new string?[CollectiveNames.Length];
    /// <summary>Forced algorithm per collective (index into its names), or AutoChoice / InvalidChoice.</summary>
    private static readonly int[] Choice = new int[CollectiveNames.Length];

    static CollectiveAlgorithms() => ReadEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Takes the COSCHED_&lt;COLLECTIVE&gt; variables from <paramref name="variable"/> (the process
    /// environment, or a test's) and drops the programmatic overrides.</summary>
    internal static void ReadEnvironment(Func<string, string?> variable)
    {
        for (int c = 0; c < CollectiveNames.Length; c++)
        {
            FromEnvironment[c] = AutoChoice;
            EnvironmentErrors[c] = null;
            var name = EnvironmentVariable(CollectiveNames[c]);
            var text = variable(name);
            if (string.IsNullOrWhiteSpace(text)) continue;
            int index = Find(AlgorithmNames[c], text);
            if (index == InvalidChoice) EnvironmentErrors[c] = $"{name}={text}: {UnknownAlgorithm(c, text)}";
            FromEnvironment[c] = index;
        }
        Array.Copy(FromEnvironment, Choice, Choice.Length);
    }

    /// <summary>Names of the collectives, as the CLI and the environment variables spell them.</summary>
    public static IReadOnlyList<string> Collectives => CollectiveNames;

    /// <summary>Names of the algorithms of one collective (without "auto").</summary>
    public static IReadOnlyList<string> Algorithms(string collective) => AlgorithmNames[IndexOf(collective)];

    /// <summary>The environment variable that forces an algorithm for the collective, e.g. COSCHED_ALLREDUCE.</summary>
    public static string EnvironmentVariable(string collective) =>
        "COSCHED_" + CollectiveNames[IndexOf(collective)].Replace('-', '_').ToUpperInvariant();

    /// <summary>Forces <paramref name="algorithm"/> for <paramref name="collective"/> in this process;
    /// "auto" gives the choice back to the selection table.</summary>
    public static void Override(string collective, string algorithm)
    {
        int c = IndexOf(collective);
        int index = Find(AlgorithmNames[c], algorithm);
        if (index == InvalidChoice) throw new ArgumentException(UnknownAlgorithm(c, algorithm), nameof(algorithm));
        Choice[c] = index;
    }

    /// <summary>Applies one "collective=algorithm" assignment, as typed after --algorithm.</summary>
    public static void Override(string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0 || equals == assignment.Length - 1)
            throw new ArgumentException($"'{assignment}' is not of the form collective=algorithm (e.g. allreduce=ring)", nameof(assignment));
        Override(assignment[..equals].Trim(), assignment[(equals + 1)..].Trim());
    }

    /// <summary>Drops every override made by <see cref="Override(string, string)"/>; the environment's remain.</summary>
    public static void Reset() => Array.Copy(FromEnvironment, Choice, Choice.Length);

    /// <summary>The algorithm forced for the collective, or "auto".</summary>
    public static string Current(string collective)
    {
        int c = IndexOf(collective);
        return Choice[c] switch
        {
            AutoChoice => Auto,
            InvalidChoice => throw new ArgumentException(EnvironmentErrors[c]),
            int i => AlgorithmNames[c][i],
        };
    }

    /// <summary>Throws the error of the first COSCHED_&lt;COLLECTIVE&gt; variable that names no algorithm, so a
    /// program can report it at start-up rather than at its first collective.</summary>
    public static void ValidateEnvironment()
    {
        foreach (var error in EnvironmentErrors)
            if (error != null) throw new ArgumentException(error);
    }

    /// <summary>The forced algorithm's index, or -1 for the selection table (the hot path: one load).</summary>
    internal static int Forced(Collective collective)
    {
        int choice = Choice[(int)collective];
        if (choice == InvalidChoice) throw new ArgumentException(EnvironmentErrors[(int)collective]);
        return choice;
    }

    private static int IndexOf(string collective)
    {
        ArgumentNullException.ThrowIfNull(collective);
        int index = Find(CollectiveNames, collective);
        if (index < 0)
            throw new ArgumentException($"unknown collective '{collective}'; valid ones are: {string.Join(", ", CollectiveNames)}", nameof(collective));
        return index;
    }

    /// <summary>Index of the name (case-insensitive, '_' and '-' alike), AutoChoice for "auto", else InvalidChoice.</summary>
    private static int Find(string[] names, string text)
    {
        var wanted = text.Trim().Replace('_', '-');
        if (string.Equals(wanted, Auto, StringComparison.OrdinalIgnoreCase)) return AutoChoice;
        for (int i = 0; i < names.Length; i++)
            if (string.Equals(names[i], wanted, StringComparison.OrdinalIgnoreCase)) return i;
        return InvalidChoice;
    }

    private static string UnknownAlgorithm(int collective, string algorithm) =>
        $"unknown {CollectiveNames[collective]} algorithm '{algorithm}'; valid ones are: {Auto}, {string.Join(", ", AlgorithmNames[collective])}";

    /// <summary>"RecursiveDoubling" to "recursive-doubling".</summary>
    private static string[] Kebab(string[] names)
    {
        var result = new string[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            var sb = new StringBuilder();
            foreach (char ch in names[i])
            {
                if (char.IsUpper(ch) && sb.Length > 0) sb.Append('-');
                sb.Append(char.ToLowerInvariant(ch));
            }
            result[i] = sb.ToString();
        }
        return result;
    }
}
