using System.Net.Sockets;

namespace Cosched.Launch;

/// <summary>The launcher's Unix-socket listeners (bootstrap, control): listen at a path and serve
/// each connection on a thread of its own until the listener is disposed.</summary>
internal static class UnixSocketServer
{
    /// <param name="mode">The socket file's mode, set before anyone can be told the path (null: the umask's).</param>
    public static Socket Listen(string path, int backlog, UnixFileMode? mode = null)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        if (mode is { } m) File.SetUnixFileMode(path, m);
        listener.Listen(backlog);
        return listener;
    }

    /// <summary>Accepts connections on a background thread and hands each to <paramref name="serve"/>
    /// on a thread of its own; ends when <paramref name="stopped"/> says so and the listener is disposed.</summary>
    public static void AcceptEach(Socket listener, Func<bool> stopped, Action<Socket> serve, string name) =>
        new Thread(() =>
        {
            while (!stopped())
            {
                Socket socket;
                try { socket = listener.Accept(); }
                catch (Exception) when (stopped()) { return; }
                catch (SocketException) { continue; }
                new Thread(() => serve(socket)) { IsBackground = true, Name = name + "-connection" }.Start();
            }
        }) { IsBackground = true, Name = name }.Start();
}
