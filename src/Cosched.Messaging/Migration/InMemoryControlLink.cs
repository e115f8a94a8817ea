using System.Collections.Concurrent;

namespace Cosched.Messaging.Migration;

/// <summary>The launcher's command line to one rank of an in-process job (<see cref="InProcessMoves"/>).</summary>
internal sealed class InMemoryControlLink : IControlLink
{
    private readonly ConcurrentQueue<string> _commands = new();
    private Action? _arrived;

    /// <summary>The rank's answers, in order.</summary>
    public BlockingCollection<string> Answers { get; } = new();

    public Action? Arrived { set => _arrived = value; }

    /// <summary>Launcher side: hands the rank a command and wakes it.</summary>
    public void Post(string line)
    {
        _commands.Enqueue(line);
        _arrived?.Invoke();
    }

    public bool TryReceive(out string line) => _commands.TryDequeue(out line!);

    public void Send(string line) => Answers.Add(line);
}
