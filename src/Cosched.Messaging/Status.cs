namespace Cosched.Messaging;

/// <summary>What a completed receive (or a probe) tells: who sent it, with which tag, and how many
/// elements of the receive's type it held.</summary>
public readonly record struct Status(int Source, int Tag, long Count);
