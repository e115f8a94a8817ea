using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Cosched.Domains.Qemu;

/// <summary>A client of one QEMU's QMP socket: commands and their answers, and the events QEMU
/// sends in between (kept for <see cref="WaitForEvent"/>).</summary>
internal sealed class Qmp : IDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;
    private readonly List<JsonObject> _events = new();
    private readonly Lock _gate = new();

    private Qmp(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(stream, Encoding.UTF8);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
    }

    /// <summary>Connects (QEMU makes the socket shortly after it starts) and leaves capabilities
    /// negotiation mode.</summary>
    public static Qmp Connect(string path, TimeSpan timeout, Func<bool> stillRunning)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                socket.ReceiveTimeout = AnswerTimeoutMs;
                var qmp = new Qmp(socket);
                qmp.Read(); // the greeting
                qmp.Execute("qmp_capabilities");
                return qmp;
            }
            catch (Exception e) when (e is SocketException or IOException or DomainException) // not there yet, or QEMU gave up
            {
                socket.Dispose();
                if (DateTime.UtcNow > deadline || !stillRunning()) throw new DomainException($"QEMU's monitor at {path} did not answer");
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>Runs a command; returns its "return" value, or throws with QEMU's error description.</summary>
    public JsonNode? Execute(string command, JsonObject? arguments = null)
    {
        lock (_gate)
        {
            var request = new JsonObject { ["execute"] = command };
            if (arguments != null) request["arguments"] = arguments;
            _writer.WriteLine(request.ToJsonString());
            while (true)
            {
                var answer = Read();
                if (answer.ContainsKey("return")) return answer["return"];
                if (answer["error"] is JsonObject error)
                    throw new DomainException($"QEMU refused {command}: {error["desc"]?.GetValue<string>() ?? error.ToJsonString()}");
            }
        }
    }

    /// <summary>Waits for event <paramref name="name"/> (one seen before counts); false on timeout.</summary>
    public bool WaitForEvent(string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                int seen = _events.FindIndex(e => e["event"]?.GetValue<string>() == name);
                if (seen >= 0)
                {
                    _events.RemoveAt(seen);
                    return true;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return false;
                _socket.ReceiveTimeout = Math.Max(1, (int)left.TotalMilliseconds);
                try { ReadMessage(); }
                catch (IOException) { return false; }
                finally { _socket.ReceiveTimeout = AnswerTimeoutMs; }
            }
        }
    }

    /// <summary>How long QEMU may take to answer a command.</summary>
    private const int AnswerTimeoutMs = 20_000;

    /// <summary>The next answer (not an event: those are kept).</summary>
    private JsonObject Read()
    {
        while (true)
            if (ReadMessage() is { } answer) return answer;
    }

    /// <summary>Reads one message: an answer is returned, an event kept (and null returned).</summary>
    private JsonObject? ReadMessage()
    {
        var line = _reader.ReadLine() ?? throw new DomainException("QEMU closed its monitor");
        if (JsonNode.Parse(line) is not JsonObject message) return null;
        if (!message.ContainsKey("event")) return message;
        _events.Add(message);
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
