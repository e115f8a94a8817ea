using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Cosched.Messaging.Migration;

namespace Cosched.Messaging;

/// <summary>Client side of the launcher's bootstrap exchange, over its Unix socket; the connection
/// then carries the launcher's migration commands and the rank's answers.</summary>
internal sealed class SocketBootstrap : IBootstrap, IControlLink
{
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly Lock _sendGate = new();
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;
    private readonly int _rank;
    private readonly int _size;
    private volatile bool _closing;

    public SocketBootstrap(string path, string secret, int rank, int size)
    {
        _rank = rank;
        _size = size;
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _socket.Connect(new UnixDomainSocketEndPoint(path));
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

    public string[] Exchange(string card)
    {
        _writer.WriteLine($"{BootstrapProtocol.Card} {card}");
        _writer.Flush();
        var cards = new string[_size];
        while (_reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', 3);
            if (parts[0] == BootstrapProtocol.End)
            {
                WatchLauncher();
                return cards;
            }
            if (parts[0] == BootstrapProtocol.Error) throw new BootstrapException($"launcher refused rank {_rank}: {line[6..]}");
            if (parts.Length == 3 && parts[0] == BootstrapProtocol.Card && int.TryParse(parts[1], out int r) && (uint)r < (uint)_size)
                cards[r] = parts[2];
            else throw new BootstrapException($"malformed bootstrap line: {line}");
        }
        throw new BootstrapException("the launcher closed the bootstrap connection");
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
    /// Until then every line is a command for the rank's migration agent.</summary>
    private void WatchLauncher()
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (_reader.ReadLine() is { } line)
                {
                    _commands.Enqueue(line);
                    Arrived?.Invoke();
                }
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { return; }
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
