namespace Cosched.Scheduling.Traces;

/// <summary>A trace file that is not valid SWF; the message is one line, <c>NAME:LINE: what is
/// wrong</c>, the way compilers name a mistake, so a user can open the file at it.</summary>
public sealed class SwfFormatException(string name, int line, string problem)
    : Exception($"{name}:{line}: {problem}")
{
    /// <summary>The trace's name as given to the reader (usually its path).</summary>
    public string Name { get; } = name;

    /// <summary>The line, from 1.</summary>
    public int Line { get; } = line;
}
