namespace Cosched.Workloads.Npb;

/// <summary>An NPB problem class: the problem size, from the sample S to the large C.</summary>
public enum NpbClass { S, W, A, B, C }

/// <summary>Parsing of problem classes as users write them ("S", "a").</summary>
public static class NpbClasses
{
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetNames<NpbClass>()];

    public static bool TryParse(string? text, out NpbClass value)
    {
        value = default;
        return text is { Length: 1 } && char.IsLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
