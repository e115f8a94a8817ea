using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Cosched.Launch.Tests;

/// <summary>The launcher's key-value store: every rank gets every rank's values at a fence, strangers are refused.</summary>
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
            Send(stranger, "HELLO wrong 0\nPUT cosched.card tcp=1.2.3.4:5\nFENCE\n");
            Assert.Equal("", ReadAll(stranger)); // closed without an answer

            using var rank1 = Connect(path);
            using var rank0 = Connect(path);
            Send(rank1, "HELLO s3cret 1\nPUT cosched.card tcp=127.0.0.1:2001\nFENCE\n");
            Send(rank0, "HELLO s3cret 0\nPUT cosched.card tcp=127.0.0.1:2000\nPUT extra two words\nFENCE\n");
            const string table = "KV 0 cosched.card tcp=127.0.0.1:2000\nKV 0 extra two words\nKV 1 cosched.card tcp=127.0.0.1:2001\nFENCED\n";
            Assert.Equal(table, ReadLines(rank0, 4));
            Assert.Equal(table, ReadLines(rank1, 4));
            Assert.True(joined);

            // After start-up the store still works, and lines that are not the store's go to the launcher.
            var lines = new ConcurrentQueue<string>();
            server.LineReceived += (rank, line) => lines.Enqueue($"{rank}:{line}");
            Send(rank0, "PHASE timed\nFENCE\n");
            Send(rank1, "PUT moved yes\nFENCE\n");
            Assert.Equal("KV 1 moved yes\nFENCED\n", ReadLines(rank0, 2));
            Assert.Equal("KV 1 moved yes\nFENCED\n", ReadLines(rank1, 2));
            Assert.Equal(["0:PHASE timed"], lines);

            // A rank that leaves is not waited for by later fences.
            rank1.Dispose();
            Send(rank0, "FENCE\n");
            Assert.Equal("FENCED\n", ReadLines(rank0, 1));
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
