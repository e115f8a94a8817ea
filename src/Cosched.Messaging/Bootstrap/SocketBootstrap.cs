using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Cosched.Messaging.Migration;

namespace Cosched.Messaging;

/// <summary>Client side of the launcher's key-value store, over its Unix socket
/// (<see cref="BootstrapProtocol"/>); after start-up the connection also carries the launcher's
/// migration commands and the rank's answers.</summary>
internal sealed class SocketBootstrap : IBootstrap, IControlLink
{
    private readonly ConcurrentQueue<string> _commands = new();
    // After start-up the watcher thread reads every line; a fence's answer is handed over here.
    private readonly BlockingCollection<string?> _fenceLines = new();
    private readonly Dictionary<(int Rank, string Key), string> _values = new();
    private readonly Lock _sendGate = new();
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;
    private readonly int _rank;
    private bool _watching;
    private volatile bool _closing;

    public SocketBootstrap(string path, string secret, int rank)
    {
        _rank = rank;
        // A guest of the qemu provider has no path to the host's files: it reaches the launcher over
        // the job's bridge instead ("tcp:ADDRESS:PORT", the management network of a real deployment).
        bool tcp = path.StartsWith(BootstrapProtocol.TcpPrefix, StringComparison.Ordinal);
        _socket = tcp ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _socket.Connect(tcp ? System.Net.IPEndPoint.Parse(path[BootstrapProtocol.TcpPrefix.Length..]) : new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            throw new BootstrapException($"cannot reach the launcher at {path}: {e.Message}");
        }
        var stream = new NetworkStream(_socket, ownsSocket: false);
        _reader = new StreamReader(stream, Encoding.ASCII);
        _writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\n", AutoFlush = false };
        _writer.WriteLine($"{BootstrapProtocol.Hello} {secret} {rank}");
    }

    public void Put(string key, string value)
    {
        if (key.Contains(' ') || value.Contains('\n')) throw new ArgumentException("a key has no blanks and a value is one line");
        Send($"{BootstrapProtocol.Put} {key} {value}");
    }

    public void Fence()
    {
        Send(BootstrapProtocol.Fence);
        while (NextFenceLine() is { } line)
        {
            if (line == BootstrapProtocol.Fenced)
            {
                if (!_watching) WatchLauncher();
                return;
            }
            if (line.StartsWith(BootstrapProtocol.Error + " ", StringComparison.Ordinal))
                throw new BootstrapException($"launcher refused rank {_rank}: {line[(BootstrapProtocol.Error.Length + 1)..]}");
            var parts = line.Split(' ', 4);
            if (parts.Length == 4 && parts[0] == BootstrapProtocol.Value && int.TryParse(parts[1], out int r))
                lock (_values) _values[(r, parts[2])] = parts[3];
            else throw new BootstrapException($"malformed bootstrap line: {line}");
        }
        throw new BootstrapException("the launcher closed the bootstrap connection");
    }

    private string? NextFenceLine() => _watching ? _fenceLines.Take() : _reader.ReadLine();

    public string Get(int rank, string key)
    {
        lock (_values) return _values.TryGetValue((rank, key), out var value) ? value : throw new BootstrapException($"rank {rank} put no '{key}'");
    }

    public Action? Arrived { private get; set; }

    public bool TryReceive(out string line) => _commands.TryDequeue(out line!);

    public void Send(string line)
    {
        lock (_sendGate)
        {
            if (_closing) return;
            try
            {
                _writer.WriteLine(line);
                _writer.Flush();
            }
            catch (IOException) { } // the launcher is gone; the watcher ends the rank
            catch (ObjectDisposedException) { }
        }
    }

    /// <summary>A rank must not outlive its launcher: when the connection ends, the job is over.
    /// Until then every line is a command for the rank's migration agent, or the answer to a fence.</summary>
    private void WatchLauncher()
    {
        _watching = true;
        var thread = new Thread(() =>
        {
            try
            {
                while (_reader.ReadLine() is { } line)
                {
                    if (line == BootstrapProtocol.Fenced || line.StartsWith(BootstrapProtocol.Value + " ", StringComparison.Ordinal))
                    {
                        _fenceLines.Add(line);
                        continue;
                    }
                    _commands.Enqueue(line);
                    Arrived?.Invoke();
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { return; }
            _fenceLines.Add(null);
            if (_closing) return;
            Console.Error.WriteLine($"cosched: rank {_rank}: the launcher is gone; exiting");
            Environment.Exit(1);
        }) { IsBackground = true, Name = "cosched-launcher-watch" };
        thread.Start();
    }

    public void Dispose()
    {
        lock (_sendGate) _closing = true;
        _socket.Dispose();
    }
}
