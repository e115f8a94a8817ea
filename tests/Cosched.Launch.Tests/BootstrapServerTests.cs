using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Cosched.Launch.Tests;

/// <summary>The launcher's bootstrap exchange: every rank gets every card, strangers are refused.</summary>
public class BootstrapServerTests
{
    [Fact]
    public void RanksGetTheWholeTableAndStrangersAreRefused()
    {
        var log = new ConcurrentQueue<string>();
        var path = Path.Combine(Path.GetTempPath(), $"cosched-boot-test-{Guid.NewGuid():N}.sock");
        bool joined = false;
        using (var server = new BootstrapServer(path, "s3cret", 2, log.Enqueue))
        {
            server.AllRanksJoined += () => joined = true;

            using var stranger = Connect(path);
            Send(stranger, "HELLO wrong 0\nCARD tcp=1.2.3.4:5\n");
            Assert.Equal("", ReadAll(stranger)); // closed without an answer

            using var rank1 = Connect(path);
            using var rank0 = Connect(path);
            Send(rank1, "HELLO s3cret 1\nCARD tcp=127.0.0.1:2001\n");
            Send(rank0, "HELLO s3cret 0\nCARD tcp=127.0.0.1:2000\n");
            const string table = "CARD 0 tcp=127.0.0.1:2000\nCARD 1 tcp=127.0.0.1:2001\nEND\n";
            Assert.Equal(table, ReadLines(rank0, 3));
            Assert.Equal(table, ReadLines(rank1, 3));
            Assert.True(joined);
        }
        Assert.Contains(log, line => line == "cosched: refused a bootstrap connection: wrong job secret");
        Assert.False(File.Exists(path) && new FileInfo(path).Length > 0);
        File.Delete(path);
    }

    private static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 10_000 };
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static void Send(Socket socket, string text) => socket.Send(Encoding.ASCII.GetBytes(text));

    private static string ReadAll(Socket socket)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        int n;
        while ((n = socket.Receive(buffer)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        return text.ToString();
    }

    private static string ReadLines(Socket socket, int lines)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (text.ToString().Count(c => c == '\n') < lines && socket.Receive(one) == 1) text.Append((char)one[0]);
        return text.ToString();
    }
}
