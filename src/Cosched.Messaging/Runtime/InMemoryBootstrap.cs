namespace Cosched.Messaging;

/// <summary>Card exchange between threads of one process (in-process jobs).</summary>
internal sealed class InMemoryBootstrap(int size)
{
    private readonly string[] _cards = new string[size];
    private readonly Barrier _barrier = new(size);

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
