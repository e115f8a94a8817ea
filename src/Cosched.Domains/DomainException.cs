namespace Cosched.Domains;

/// <summary>A VM could not be made or removed; the message is one line for the user.</summary>
public sealed class DomainException(string message) : Exception(message);
