namespace Cosched.Cli;

/// <summary>A mistake on the command line: reported as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
