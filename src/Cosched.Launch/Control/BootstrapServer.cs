using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cosched.Messaging;

namespace Cosched.Launch;

/// <summary>The launcher's side of the job's key-value store (<see cref="BootstrapProtocol"/>): collects
/// what each rank puts over a Unix socket (reachable from every VM of the host, like a management
/// network) and, once every rank has reached the fence, sends the round's values to every rank. The
/// first round is the start-up exchange of endpoint cards. Connections without the job's secret are
/// refused and logged; they do not disturb the job. The connection stays open as long as the rank
/// lives: it carries the migration commands (<see cref="Send"/>) and the ranks' answers
/// (<see cref="LineReceived"/>), and later fences.</summary>
internal sealed class BootstrapServer : IDisposable
{
    private readonly Socket _listener;
    private Socket? _tcpListener;
    private readonly byte[] _secret;
    private readonly int _ranks;
    private readonly StreamWriter?[] _writers;
    private readonly bool[] _fenced;
    private readonly bool[] _gone;
    private readonly StringBuilder[] _round;
    private readonly List<Socket> _connections = new();
    private readonly Lock _gate = new();
    private int _rounds;
    private volatile bool _disposed;

    public string Path { get; }

    /// <summary>Raised once every rank has reached its first fence (all have attached to the segment).</summary>
    public event Action? AllRanksJoined;

    /// <summary>A line from a rank after start-up that is not the store's (an answer to a migration
    /// command, PHASE, LEFT); null once its connection ended. Raised on that rank's connection thread.</summary>
    public event Action<int, string?>? LineReceived;

    private readonly Action<string> _log;

    public BootstrapServer(string path, string secret, int ranks, Action<string>? log = null)
    {
        _log = log ?? (message => Console.Error.WriteLine(message));
        Path = path;
        _secret = Encoding.ASCII.GetBytes(secret);
        _ranks = ranks;
        _writers = new StreamWriter?[ranks];
        _fenced = new bool[ranks];
        _gone = new bool[ranks];
        _round = Enumerable.Range(0, ranks).Select(_ => new StringBuilder()).ToArray();
        _listener = UnixSocketServer.Listen(path, ranks + 16);
        UnixSocketServer.AcceptEach(_listener, () => _disposed, socket =>
        {
            lock (_gate) _connections.Add(socket);
            Serve(socket);
        }, "cosched-bootstrap");
    }

    /// <summary>Also listens on <paramref name="address"/> (a host address that guests of the qemu
    /// provider reach over the job's bridge); returns the address ranks give as their bootstrap socket.</summary>
    public string ListenTcp(System.Net.IPAddress address)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(address, 0));
        listener.Listen(_ranks + 16);
        _tcpListener = listener;
        UnixSocketServer.AcceptEach(listener, () => _disposed, socket =>
        {
            socket.NoDelay = true;
            lock (_gate) _connections.Add(socket);
            Serve(socket);
        }, "cosched-bootstrap-tcp");
        return $"{BootstrapProtocol.TcpPrefix}{listener.LocalEndPoint}";
    }

    private void Serve(Socket socket)
    {
        int rank = -1;
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
            if (!int.TryParse(rankText, out int claimed) || claimed < 0 || claimed >= _ranks)
            {
                Refuse(socket, $"rank '{rankText}' is not in a job of {_ranks}");
                return;
            }
            lock (_gate)
            {
                if (_writers[claimed] != null)
                {
                    Refuse(socket, $"rank {claimed} joined twice");
                    return;
                }
                _writers[claimed] = writer;
                rank = claimed;
            }
            while (!_disposed && reader.ReadLine() is { } line)
            {
                if (line.StartsWith(BootstrapProtocol.Put + " ", StringComparison.Ordinal) && line.Split(' ', 3) is [_, var key, var value])
                    lock (_gate) _round[rank].Append(BootstrapProtocol.Value).Append(' ').Append(rank).Append(' ').Append(key).Append(' ').Append(value).Append('\n');
                else if (line == BootstrapProtocol.Fence)
                {
                    socket.ReceiveTimeout = 0;
                    Fenced(rank, gone: false);
                }
                else if (_rounds == 0)
                {
                    Refuse(socket, $"rank {rank} sent '{line}' before its first fence");
                    return;
                }
                else LineReceived?.Invoke(rank, line);
            }
        }
        catch (Exception) when (_disposed)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            // Later fences do not wait for a rank that left; the start-up one does (the launcher ends a job with a dead rank).
            if (rank >= 0 && !_disposed)
            {
                if (_rounds > 0) Fenced(rank, gone: true);
                LineReceived?.Invoke(rank, null);
            }
        }
    }

    /// <summary>Marks <paramref name="rank"/> at the fence (or gone) and, when it was the last one,
    /// sends the round to every rank still there.</summary>
    private void Fenced(int rank, bool gone)
    {
        string text;
        bool first;
        lock (_gate)
        {
            if (gone) _gone[rank] = true;
            else _fenced[rank] = true;
            for (int r = 0; r < _ranks; r++)
                if (!_fenced[r] && !_gone[r]) return;
            if (!_fenced.Contains(true)) return; // nobody waits at a fence
            // In rank order, whatever order the puts came in.
            text = string.Concat(_round.Select(values => values.ToString())) + BootstrapProtocol.Fenced + "\n";
            foreach (var values in _round) values.Clear();
            Array.Clear(_fenced);
            first = _rounds++ == 0;
        }
        // Before the ranks hear back: once a rank has the cards, the job's files are already gone.
        if (first) AllRanksJoined?.Invoke();
        for (int r = 0; r < _ranks; r++)
            if (!_gone[r] && _writers[r] is { } writer)
                try
                {
                    lock (writer)
                    {
                        writer.Write(text);
                        writer.Flush();
                    }
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException) { }
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
        _tcpListener?.Dispose();
        lock (_gate)
            foreach (var socket in _connections) socket.Dispose();
    }
}
