namespace Cosched.Messaging;

/// <summary>The start-up key-value exchange: each rank publishes its endpoint card, then reads
/// every rank's. Implemented over the launcher's socket, or in memory for in-process jobs.</summary>
public interface IBootstrap : IDisposable
{
    /// <summary>Publishes this rank's card and returns all cards, indexed by rank.</summary>
    string[] Exchange(string card);
}

/// <summary>Words of the launcher's bootstrap protocol (one line each, text):
/// rank to launcher <c>HELLO secret rank</c> then <c>CARD card</c>; launcher to rank, once every rank
/// has sent its card, <c>CARD rank card</c> for each rank and <c>END</c>. The connection then stays
/// open: its end tells a rank that the launcher is gone.</summary>
public static class BootstrapProtocol
{
    public const string Hello = "HELLO";
    public const string Card = "CARD";
    public const string End = "END";
    public const string Error = "ERROR";
}
