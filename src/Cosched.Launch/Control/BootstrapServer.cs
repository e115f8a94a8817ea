using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cosched.Messaging;

namespace Cosched.Launch;

/// <summary>The launcher's side of the start-up exchange: collects one endpoint card per rank over a
/// Unix socket (reachable from every VM of the host, like a management network) and, once all have
/// arrived, sends the whole table to every rank. Connections without the job's secret are refused
/// and logged; they do not disturb the job. The connection stays open as long as the rank lives:
/// it carries the migration commands (<see cref="Send"/>) and the ranks' answers (<see cref="LineReceived"/>).</summary>
internal sealed class BootstrapServer : IDisposable
{
    private readonly Socket _listener;
    private readonly byte[] _secret;
    private readonly int _ranks;
    private readonly string?[] _cards;
    private readonly StreamWriter?[] _writers;
    private readonly List<Socket> _connections = new();
    private readonly Lock _gate = new();
    private int _received;
    private volatile bool _disposed;

    public string Path { get; }

    /// <summary>Raised once every rank has published its card (all have attached to the segment).</summary>
    public event Action? AllRanksJoined;

    /// <summary>A line from a rank after start-up (an answer to a migration command, PHASE, LEFT);
    /// null once its connection ended. Raised on that rank's connection thread.</summary>
    public event Action<int, string?>? LineReceived;

    private readonly Action<string> _log;

    public BootstrapServer(string path, string secret, int ranks, Action<string>? log = null)
    {
        _log = log ?? (message => Console.Error.WriteLine(message));
        Path = path;
        _secret = Encoding.ASCII.GetBytes(secret);
        _ranks = ranks;
        _cards = new string?[ranks];
        _writers = new StreamWriter?[ranks];
        _listener = UnixSocketServer.Listen(path, ranks + 16);
        UnixSocketServer.AcceptEach(_listener, () => _disposed, socket =>
        {
            lock (_gate) _connections.Add(socket);
            Serve(socket);
        }, "cosched-bootstrap");
    }

    private void Serve(Socket socket)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new StreamReader(stream, Encoding.ASCII);
            var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\n" };
            socket.ReceiveTimeout = 30_000;
            var hello = reader.ReadLine()?.Split(' ');
            if (hello is not [BootstrapProtocol.Hello, var secret, var rankText] ||
                !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(secret), _secret))
            {
                Refuse(socket, "wrong job secret");
                return;
            }
            if (!int.TryParse(rankText, out int rank) || rank < 0 || rank >= _ranks)
            {
                Refuse(socket, $"rank '{rankText}' is not in a job of {_ranks}");
                return;
            }
            var card = reader.ReadLine();
            if (card == null || !card.StartsWith(BootstrapProtocol.Card + " ", StringComparison.Ordinal))
            {
                Refuse(socket, $"rank {rank} sent no endpoint card");
                return;
            }
            socket.ReceiveTimeout = 0;
            bool complete;
            lock (_gate)
            {
                if (_cards[rank] != null)
                {
                    Refuse(socket, $"rank {rank} joined twice");
                    return;
                }
                _cards[rank] = card[(BootstrapProtocol.Card.Length + 1)..];
                _writers[rank] = writer;
                complete = ++_received == _ranks;
            }
            if (complete) Publish();
            // Hold the connection: when the launcher goes away, the rank sees it close.
            try
            {
                while (!_disposed && reader.ReadLine() is { } line) LineReceived?.Invoke(rank, line);
            }
            finally
            {
                if (!_disposed) LineReceived?.Invoke(rank, null);
            }
        }
        catch (Exception) when (_disposed)
        {
        }
        catch (IOException)
        {
        }
    }

    private void Publish()
    {
        var table = new StringBuilder();
        for (int r = 0; r < _ranks; r++) table.Append(BootstrapProtocol.Card).Append(' ').Append(r).Append(' ').Append(_cards[r]).Append('\n');
        table.Append(BootstrapProtocol.End).Append('\n');
        var text = table.ToString();
        // Before the ranks hear back: once a rank has the table, the job's files are already gone.
        AllRanksJoined?.Invoke();
        foreach (var writer in _writers)
            lock (writer!)
            {
                writer.Write(text);
                writer.Flush();
            }
    }

    /// <summary>Sends one line to <paramref name="rank"/> (after start-up); false when its connection is gone.</summary>
    public bool Send(int rank, string line)
    {
        var writer = _writers[rank];
        if (writer == null) return false;
        try
        {
            lock (writer)
            {
                writer.Write(line);
                writer.Write('\n');
                writer.Flush();
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void Refuse(Socket socket, string reason)
    {
        _log($"cosched: refused a bootstrap connection: {reason}");
        socket.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
        lock (_gate)
            foreach (var socket in _connections) socket.Dispose();
    }
}
