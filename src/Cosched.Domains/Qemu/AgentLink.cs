using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Cosched.Domains.Qemu;

/// <summary>The launcher's end of one guest agent's management channel (the host side of the
/// guest's virtio-serial port, a Unix socket QEMU serves). After a migration it is moved to the
/// destination QEMU's socket (<see cref="MoveTo"/>); the guest's port keeps what it writes meanwhile.</summary>
internal sealed class AgentLink : IDisposable
{
    private readonly ConcurrentDictionary<int, GuestRank> _ranks = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<string?>> _requests = new();
    private readonly ManualResetEventSlim _hello = new();
    private readonly Lock _sendGate = new();
    private Socket? _socket;
    private StreamWriter? _writer;
    private int _generation;
    private int _nextRequest;
    private volatile bool _closed;

    /// <summary>Raised when the channel ended without a move or shutdown: the guest is gone.</summary>
    public event Action? Lost;

    public void Connect(string path, TimeSpan timeout, Func<bool> stillRunning)
    {
        var deadline = DateTime.UtcNow + timeout;
        Socket socket;
        while (true)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                break;
            }
            catch (SocketException)
            {
                socket.Dispose();
                if (DateTime.UtcNow > deadline || !stillRunning()) throw new DomainException($"QEMU's agent socket {path} did not open");
                Thread.Sleep(20);
            }
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        int generation;
        lock (_sendGate)
        {
            var old = _socket;
            _socket = socket;
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
            generation = ++_generation;
            old?.Dispose();
        }
        new Thread(() => Read(new StreamReader(stream, Encoding.UTF8), generation)) { IsBackground = true, Name = "cosched-agent-link" }.Start();
    }

    /// <summary>After a migration: the destination QEMU's socket replaces the source's.</summary>
    public void MoveTo(string path, Func<bool> stillRunning) => Connect(path, TimeSpan.FromSeconds(10), stillRunning);

    /// <summary>Waits for the agent's HELLO (the guest booted and its agent runs).</summary>
    public bool WaitForHello(TimeSpan timeout, CancellationToken cancel)
    {
        try { return _hello.Wait(timeout, cancel); }
        catch (OperationCanceledException) { return false; }
    }

    public GuestRank Start(RankLaunch launch)
    {
        var rank = new GuestRank(this, launch);
        _ranks[launch.Rank] = rank;
        var command = new GuestCommand([.. launch.Command], new Dictionary<string, string>(launch.Environment), launch.WorkingDirectory);
        Send($"{AgentProtocol.Start} {launch.Rank} {Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(command, GuestCommandJson.Default.GuestCommand))}");
        return rank;
    }

    /// <summary>Sends a request and waits for its READY; throws with the agent's FAILED message.</summary>
    public void Request(string words, TimeSpan timeout)
    {
        int id = Interlocked.Increment(ref _nextRequest);
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[id] = answer;
        var verb = words.Split(' ')[0];
        Send($"{verb} {id}{words[verb.Length..]}");
        if (!answer.Task.Wait(timeout)) throw new DomainException($"the guest agent did not answer {verb} within {timeout.TotalSeconds:0} s");
        if (answer.Task.Result is { } failure) throw new DomainException(failure);
    }

    public void Send(string line)
    {
        lock (_sendGate)
        {
            try { _writer?.WriteLine(line); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        }
    }

    private void Read(StreamReader reader, int generation)
    {
        try
        {
            while (reader.ReadLine() is { } line) Dispatch(line.Split(' ', 3));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        // A channel that a move replaced, or a shutdown, ends quietly; any other end is the guest's.
        if (_closed || generation != Volatile.Read(ref _generation)) return;
        Lost?.Invoke();
        foreach (var rank in _ranks.Values) rank.Ended(137);
        foreach (var request in _requests.Values) request.TrySetResult("the guest is gone");
    }

    private void Dispatch(string[] words)
    {
        switch (words)
        {
            case [AgentProtocol.Hello, ..]:
                _hello.Set();
                break;
            case [AgentProtocol.Out or AgentProtocol.Err, var r, var text] when int.TryParse(r, out int rank) && _ranks.TryGetValue(rank, out var guest):
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(text));
                if (words[0] == AgentProtocol.Out) guest.Launch.Stdout(decoded);
                else guest.Launch.Stderr(decoded);
                break;
            case [AgentProtocol.Exit, var r, var code] when int.TryParse(r, out int rank) && _ranks.TryGetValue(rank, out var guest):
                guest.Ended(int.TryParse(code, out int c) ? c : 1);
                break;
            case [AgentProtocol.Ready, var id] when int.TryParse(id, out int n) && _requests.TryRemove(n, out var request):
                request.TrySetResult(null);
                break;
            case [AgentProtocol.Failed, var id, var message] when int.TryParse(id, out int n) && _requests.TryRemove(n, out var request):
                request.TrySetResult(message);
                break;
        }
    }

    public void Dispose()
    {
        _closed = true;
        lock (_sendGate) _socket?.Dispose();
        foreach (var rank in _ranks.Values) rank.Ended(137);
    }
}

/// <summary>A rank that a guest agent started: signals and its end travel over the agent's channel.</summary>
internal sealed class GuestRank(AgentLink link, RankLaunch launch) : IRankProcess
{
    private readonly ManualResetEventSlim _exited = new();
    private int _ended;

    public RankLaunch Launch => launch;
    public int HostPid => -1;
    public bool HasExited => _exited.IsSet;

    public void Signal(int signal)
    {
        if (!HasExited) link.Send($"{AgentProtocol.Signal} {launch.Rank} {signal}");
    }

    public void Kill() => Signal(9);

    public bool WaitForExit(TimeSpan timeout) => _exited.Wait(timeout);

    public void Ended(int code)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        _exited.Set();
        launch.Exited(code);
    }

    public void Dispose() { }
}
