using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cosched.Messaging.Protocol;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

/// <summary>Builds a rank's channels: attach to the shared segment, publish endpoints, decide per
/// peer between shm and tcp from the segment's membership table and the policy, connect.</summary>
internal static unsafe class Wireup
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Ranks of the job on this host, set by the launcher when the ranks run in VMs.</summary>
    public const string HostRanksVariable = "COSCHED_HOST_RANKS";

    /// <summary>Where refused connections are reported (stderr; tests listen here).</summary>
    public static Action<string> Log { get; set; } = message => Console.Error.WriteLine(message);

    /// <param name="segment">The segment of the rank's VM (natively: of the host).</param>
    /// <param name="hostSegment">The host segment shared by the VMs of this host (locality policy only).</param>
    public static Engine Start(JobSettings job, IBootstrap bootstrap, ShmSegment? segment, ShmSegment? hostSegment = null)
    {
        long mark = MembershipMark(job.Secret);
        foreach (var s in new[] { segment, hostSegment })
        {
            if (s == null) continue;
            if (s.Ranks != job.Size) throw new BootstrapException($"segment {s.Path} is for {s.Ranks} ranks, job has {job.Size}");
            Volatile.Write(ref *s.MemberOf(job.Rank), mark);
        }
        // One doorbell per rank: with a host segment every shm peer rings the one in it.
        var doorbells = hostSegment != null && job.Policy == ChannelPolicy.Locality ? hostSegment : segment;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(job.BindAddress), 0));
        listener.Listen(job.Size + 16);
        var cards = bootstrap.Exchange($"tcp={listener.LocalEndPoint}");

        var useTcp = new bool[job.Size];
        var peers = new Peer?[job.Size];
        int local = 1;
        for (int r = 0; r < job.Size; r++)
        {
            if (r == job.Rank) continue;
            // Locality comes only from the membership tables this rank can see.
            bool sameVm = segment != null && Volatile.Read(ref *segment.MemberOf(r)) == mark;
            bool sameHost = hostSegment != null && Volatile.Read(ref *hostSegment.MemberOf(r)) == mark;
            if (sameVm || sameHost) local++;
            if (sameVm && job.Policy != ChannelPolicy.Network)
                peers[r] = new Peer(r, new ShmChannel(segment!, job.Rank, r, singleCopy: true, doorbells));
            // Across VMs only the ring memory is shared: no cross-memory attach (DESIGN, VM rules).
            else if (sameHost && job.Policy == ChannelPolicy.Locality)
                peers[r] = new Peer(r, new ShmChannel(hostSegment!, job.Rank, r, singleCopy: false, doorbells, route: "shm-host"));
            else useTcp[r] = true;
        }
        // Ranks in other VMs compete for the same cores without sharing memory with us; the launcher
        // says how many ranks run on this host in all (a scheduling hint only, never a channel choice).
        local = Math.Max(local, Tuning.Int(HostRanksVariable, 0));
        ConnectTcp(job, listener, cards, useTcp, peers);
        var doorbell = doorbells?.DoorbellOf(job.Rank) ?? default;
        return new Engine(job.Rank, job.Size, peers, new Waiter(doorbell)) { SpinTicks = Backoff.SpinTicksFor(local) };
    }

    private static unsafe long MembershipMark(string secret)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("member:" + secret));
        return BitConverter.ToInt64(digest) | 1;
    }

    private static byte[] Handshake(string secret, int rank)
    {
        var bytes = new byte[20];
        SHA256.HashData(Encoding.UTF8.GetBytes("tcp:" + secret)).AsSpan(0, 16).CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(16), rank);
        return bytes;
    }

    /// <summary>Each rank connects to the lower-ranked tcp peers and accepts the higher ones, so no
    /// pair waits on each other. A connection without the job's secret is refused, logged, and the
    /// rank keeps accepting.</summary>
    private static void ConnectTcp(JobSettings job, Socket listener, string[] cards, bool[] useTcp, Peer?[] peers)
    {
        var hello = Handshake(job.Secret, job.Rank);
        for (int r = 0; r < job.Rank; r++)
        {
            if (!useTcp[r]) continue;
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Connect(ParseEndpoint(cards[r]));
            }
            catch (SocketException e)
            {
                throw new BootstrapException($"rank {job.Rank} cannot connect to rank {r} at {cards[r]}: {e.Message}");
            }
            socket.Send(hello);
            peers[r] = new Peer(r, new TcpChannel(socket));
        }
        int expected = 0;
        for (int r = job.Rank + 1; r < job.Size; r++)
            if (useTcp[r]) expected++;
        var deadline = DateTime.UtcNow + ConnectTimeout;
        var secretPart = Handshake(job.Secret, 0).AsMemory(0, 16);
        while (expected > 0)
        {
            if (!listener.Poll(DeadlineMicros(deadline), SelectMode.SelectRead))
                throw new BootstrapException($"rank {job.Rank} waited {ConnectTimeout.TotalSeconds} s for tcp connections from {expected} peers");
            var socket = listener.Accept();
            var refusal = CheckHandshake(socket, secretPart.Span, job, useTcp, peers, out int peer);
            if (refusal != null)
            {
                Log($"cosched: rank {job.Rank} refused a tcp connection from {socket.RemoteEndPoint}: {refusal}");
                socket.Dispose();
                continue;
            }
            peers[peer] = new Peer(peer, new TcpChannel(socket));
            expected--;
        }
    }

    private static string? CheckHandshake(Socket socket, ReadOnlySpan<byte> secret, JobSettings job, bool[] useTcp, Peer?[] peers, out int peer)
    {
        peer = -1;
        var buffer = new byte[20];
        socket.ReceiveTimeout = 5000;
        int got = 0;
        try
        {
            while (got < buffer.Length)
            {
                int n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
                if (n == 0) break;
                got += n;
            }
        }
        catch (SocketException)
        {
        }
        if (got < buffer.Length) return "no handshake";
        if (!CryptographicOperations.FixedTimeEquals(buffer.AsSpan(0, 16), secret)) return "wrong job secret";
        peer = BitConverter.ToInt32(buffer, 16);
        if (peer <= job.Rank || peer >= job.Size || !useTcp[peer] || peers[peer] != null) return $"unexpected rank {peer}";
        return null;
    }

    private static int DeadlineMicros(DateTime deadline) =>
        (int)Math.Clamp((deadline - DateTime.UtcNow).TotalMicroseconds, 0, int.MaxValue);

    private static IPEndPoint ParseEndpoint(string card)
    {
        foreach (var field in card.Split(';'))
            if (field.StartsWith("tcp=", StringComparison.Ordinal) && IPEndPoint.TryParse(field[4..], out var endpoint))
                return endpoint;
        throw new BootstrapException($"endpoint card without a tcp address: {card}");
    }
}
