namespace Cosched.Messaging;

/// <summary>A job's key-value store, as PMIx has it: each rank puts values under keys, a fence waits
/// for every rank and makes what each put before it visible to all, and a get reads one rank's value.
/// The start-up exchange of endpoint cards is one round of it; it stays usable after start-up.
/// Served by Cosched's launcher (over its socket), by PMIx (srun, mpirun), or in memory.</summary>
public interface IBootstrap : IDisposable
{
    /// <summary>Publishes <paramref name="value"/> (one line of text) under <paramref name="key"/> (no blanks).</summary>
    void Put(string key, string value);

    /// <summary>Waits until every rank of the job has reached its fence; then what every rank put
    /// before it can be read.</summary>
    void Fence();

    /// <summary>The value <paramref name="rank"/> put under <paramref name="key"/> before the last fence;
    /// a <see cref="BootstrapException"/> when it put none.</summary>
    string Get(int rank, string key);

    /// <summary>The start-up round: publishes this rank's endpoint card and returns every rank's.</summary>
    string[] Exchange(string card, int size)
    {
        Put(BootstrapKeys.Card, card);
        Fence();
        var cards = new string[size];
        for (int r = 0; r < size; r++) cards[r] = Get(r, BootstrapKeys.Card);
        return cards;
    }
}

/// <summary>The keys Cosched itself puts into the job's store.</summary>
public static class BootstrapKeys
{
    /// <summary>A rank's endpoint card (its tcp listener).</summary>
    public const string Card = "cosched.card";

    /// <summary>The job's secret, put by rank 0 where no launcher hands it out (PMIx).</summary>
    public const string Secret = "cosched.secret";
}

/// <summary>Words of the launcher's bootstrap protocol (one line each, text). Rank to launcher:
/// <c>HELLO secret rank</c>, then any number of <c>PUT key value</c> and <c>FENCE</c>. Launcher to
/// rank, once every rank still connected has sent its FENCE: <c>KV rank key value</c> for each value
/// put in that round, then <c>FENCED</c>. The first round is the start-up exchange; the connection
/// then stays open, carrying the launcher's migration commands too, and its end tells a rank that
/// the launcher is gone.</summary>
public static class BootstrapProtocol
{
    public const string Hello = "HELLO";
    public const string Put = "PUT";
    public const string Fence = "FENCE";
    public const string Value = "KV";
    public const string Fenced = "FENCED";
    public const string Error = "ERROR";
    /// <summary>Prefix of a launcher address that is a tcp endpoint ("tcp:ADDRESS:PORT") rather than a
    /// socket path: how a QEMU guest, which sees none of the host's files, reaches the launcher.</summary>
    public const string TcpPrefix = "tcp:";
}
