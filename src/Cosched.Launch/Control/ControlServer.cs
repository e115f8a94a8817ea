using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Cosched.Launch;

/// <summary>The job's control socket (mode 0600, in its registry directory): one request line per
/// connection, "SECRET MIGRATE vm host", answered "OK json", "ERROR reason" (a request
/// that cannot be served) or "LATE reason" (a move that did not complete in time and goes on).
/// A request without the job's secret is refused and logged; it does not disturb the job.</summary>
public sealed class ControlServer : IDisposable
{
    public const string Migrate = "MIGRATE", Ok = "OK", Error = "ERROR", Late = "LATE";

    private readonly Socket _listener;
    private readonly byte[] _secret;
    private readonly Func<string[], string> _handle;
    private readonly Action<string> _log;
    private volatile bool _disposed;

    public string Path { get; }

    /// <param name="handle">Answers a request's words (after the secret) with a whole answer line.</param>
    internal ControlServer(string path, string secret, Func<string[], string> handle, Action<string> log)
    {
        Path = path;
        _secret = Encoding.ASCII.GetBytes(secret);
        _handle = handle;
        _log = log;
        // The directory (0700) already keeps others out; the socket itself is 0600 too.
        _listener = UnixSocketServer.Listen(path, 16, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        UnixSocketServer.AcceptEach(_listener, () => _disposed, Serve, "cosched-control");
    }

    private void Serve(Socket socket)
    {
        using (socket)
        {
            try
            {
                socket.ReceiveTimeout = 5000;
                using var stream = new NetworkStream(socket, ownsSocket: false);
                var reader = new StreamReader(stream, Encoding.ASCII);
                var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\n" };
                var words = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string answer;
                if (words.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(words[0]), _secret))
                {
                    _log("cosched: refused a control request: wrong job secret");
                    answer = $"{Error} wrong job secret";
                }
                else answer = _handle(words[1..]);
                writer.WriteLine(answer);
                writer.Flush();
            }
            catch (IOException) { }
            catch (SocketException) { }
        }
    }

    /// <summary>Sends one request to the control socket at <paramref name="path"/> and returns the answer line.</summary>
    public static string Request(string path, string secret, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\n" };
        writer.WriteLine($"{secret} {request}");
        writer.Flush();
        return new StreamReader(stream, Encoding.ASCII).ReadLine() ?? $"{Error} the job ended before it answered";
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
        try { File.Delete(Path); }
        catch (IOException) { }
    }
}
