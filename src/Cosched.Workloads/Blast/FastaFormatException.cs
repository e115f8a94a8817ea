namespace Cosched.Workloads.Blast;

/// <summary>Input that is not protein FASTA; the message names the file and the line.</summary>
public sealed class FastaFormatException(string message) : Exception(message);
