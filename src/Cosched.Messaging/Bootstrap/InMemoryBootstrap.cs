using System.Collections.Concurrent;

namespace Cosched.Messaging;

/// <summary>The job's key-value store between threads of one process (in-process jobs).</summary>
internal sealed class InMemoryBootstrap
{
    private readonly int _size;
    private readonly ConcurrentDictionary<(int Rank, string Key), string> _pending = new();
    private Dictionary<(int Rank, string Key), string> _visible = new();
    private readonly Barrier _barrier;
    private readonly Action<string[]>? _onCardsPublished;

    /// <param name="onCardsPublished">Runs once with all cards before any rank sees them (tests use it
    /// to act between publication and connection).</param>
    public InMemoryBootstrap(int size, Action<string[]>? onCardsPublished = null)
    {
        _size = size;
        _onCardsPublished = onCardsPublished;
        _barrier = new Barrier(size, _ => Publish());
    }

    public IBootstrap ForRank(int rank) => new Handle(this, rank);

    /// <summary>Runs on the last thread to reach the fence, before any is released.</summary>
    private void Publish()
    {
        var next = new Dictionary<(int, string), string>(_visible);
        foreach (var (key, value) in _pending) next[key] = value;
        _pending.Clear();
        bool cardsThisRound = Enumerable.Range(0, _size).All(r => next.ContainsKey((r, BootstrapKeys.Card)) && !_visible.ContainsKey((r, BootstrapKeys.Card)));
        _visible = next;
        if (cardsThisRound) _onCardsPublished?.Invoke(Enumerable.Range(0, _size).Select(r => next[(r, BootstrapKeys.Card)]).ToArray());
    }

    private sealed class Handle(InMemoryBootstrap shared, int rank) : IBootstrap
    {
        public void Put(string key, string value) => shared._pending[(rank, key)] = value;

        public void Fence()
        {
            if (!shared._barrier.SignalAndWait(TimeSpan.FromSeconds(60))) throw new BootstrapException("in-process bootstrap timed out");
        }

        public string Get(int from, string key) =>
            shared._visible.TryGetValue((from, key), out var value) ? value : throw new BootstrapException($"rank {from} put no '{key}'");

        public void Dispose() { }
    }
}
