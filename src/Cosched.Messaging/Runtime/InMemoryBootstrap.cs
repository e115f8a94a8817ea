namespace Cosched.Messaging;

/// <summary>Card exchange between threads of one process (in-process jobs).</summary>
internal sealed class InMemoryBootstrap
{
    private readonly string[] _cards;
    private readonly Barrier _barrier;

    /// <param name="onPublished">Runs once with all cards before any rank sees them (tests use it to
    /// act between publication and connection).</param>
    public InMemoryBootstrap(int size, Action<string[]>? onPublished = null)
    {
        _cards = new string[size];
        _barrier = new Barrier(size, _ => onPublished?.Invoke(_cards));
    }

    public IBootstrap ForRank(int rank) => new Handle(this, rank);

    private sealed class Handle(InMemoryBootstrap shared, int rank) : IBootstrap
    {
        public string[] Exchange(string card)
        {
            shared._cards[rank] = card;
            if (!shared._barrier.SignalAndWait(TimeSpan.FromSeconds(60))) throw new BootstrapException("in-process bootstrap timed out");
            return (string[])shared._cards.Clone();
        }

        public void Dispose() { }
    }
}
