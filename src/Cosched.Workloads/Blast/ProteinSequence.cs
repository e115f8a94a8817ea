namespace Cosched.Workloads.Blast;

/// <summary>One protein: its identifier (the first word of the FASTA title, as BLAST's tabular
/// output prints it) and its residues as <see cref="ProteinAlphabet"/> codes.</summary>
public sealed record ProteinSequence(string Id, byte[] Residues);
