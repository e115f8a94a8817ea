using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Migration;

/// <summary>Builds a rank's channels, at start-up and on every switch: owns the rank's segments
/// (its VM's and its host's), its tcp listener (open as long as the rank) and every channel it made.
/// Each channel is made once per pair and segment and then reused, so a pair that switches back and
/// forth continues the same ring or socket stream.</summary>
internal sealed class ChannelFactory : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly JobSettings _job;
    private readonly long _mark;
    private readonly Socket _listener;
    private string[] _cards = [];
    private readonly TcpChannel?[] _tcp;
    private readonly ShmChannel?[] _shm;
    private readonly ShmChannel?[] _shmHost;

    /// <summary>Where refused connections are reported (stderr; tests listen here).</summary>
    public static Action<string> Log { get; set; } = message => Console.Error.WriteLine(message);

    /// <param name="segment">The segment of the rank's VM (natively: of its host).</param>
    /// <param name="hostSegment">The host segment shared by the VMs of this host (locality policy only).</param>
    public ChannelFactory(JobSettings job, ShmSegment? segment, ShmSegment? hostSegment)
    {
        _job = job;
        _mark = MembershipMark(job.Secret);
        _tcp = new TcpChannel?[job.Size];
        _shm = new ShmChannel?[job.Size];
        _shmHost = new ShmChannel?[job.Size];
        Segment = segment;
        if (segment != null) Join(segment);
        if (hostSegment != null) AttachHostSegment(hostSegment);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Parse(job.BindAddress), 0));
        _listener.Listen(job.Size + 16);
    }

    public ShmSegment? Segment { get; }
    public ShmSegment? HostSegment { get; private set; }

    /// <summary>The segment holding this rank's doorbell: with a host segment every shm peer, in the
    /// VM or not, rings the one in it.</summary>
    public ShmSegment? Doorbells => HostSegment != null && _job.Policy == ChannelPolicy.Locality ? HostSegment : Segment;

    /// <summary>This rank's card for the bootstrap exchange.</summary>
    public string Card => $"tcp={_listener.LocalEndPoint}";

    public int ListenerDescriptor => (int)_listener.Handle;

    public void SetCards(string[] cards) => _cards = cards;

    private void Join(ShmSegment segment)
    {
        if (segment.Ranks != _job.Size) throw new BootstrapException($"segment {segment.Path} is for {segment.Ranks} ranks, job has {_job.Size}");
        unsafe { Volatile.Write(ref *segment.MemberOf(_job.Rank), _mark); }
    }

    /// <summary>Detaches from the current host segment (clearing this rank's mark, so peers there no
    /// longer see it) and joins <paramref name="next"/> (null: none). The caller has drained every
    /// channel on the old one.</summary>
    public void AttachHostSegment(ShmSegment? next)
    {
        if (HostSegment is { } old)
        {
            unsafe { Volatile.Write(ref *old.MemberOf(_job.Rank), 0); }
            Array.Clear(_shmHost);
            old.Dispose();
        }
        HostSegment = next;
        if (next != null) Join(next);
        // Peers in our VM now ring our doorbell (and we theirs) in the new segment.
        if (Doorbells is { } doorbells)
            foreach (var channel in _shm) channel?.UseDoorbells(doorbells);
    }

    /// <summary>What this rank's membership tables say of <paramref name="peer"/>.</summary>
    public unsafe (bool SameVm, bool SameHost) Membership(int peer) =>
        (Segment != null && Volatile.Read(ref *Segment.MemberOf(peer)) == _mark,
         HostSegment != null && Volatile.Read(ref *HostSegment.MemberOf(peer)) == _mark);

    /// <summary>The channel the policy picks for <paramref name="peer"/> from the membership tables.</summary>
    public ChannelKind Desired(int peer)
    {
        var (sameVm, sameHost) = Membership(peer);
        return ChannelDecision.Decide(_job.Policy, sameVm, sameHost);
    }

    /// <summary>The channel of <paramref name="kind"/> to <paramref name="peer"/>, or null while it
    /// cannot be made yet (a tcp connection the peer has not opened to us).</summary>
    public IChannel? TryBuild(ChannelKind kind, int peer)
    {
        switch (kind)
        {
            case ChannelKind.Shm when Segment != null:
                return _shm[peer] ??= new ShmChannel(Segment, _job.Rank, peer, singleCopy: true, Doorbells);
            case ChannelKind.ShmHost when HostSegment != null:
                // Across VMs only the ring memory is shared: no cross-memory attach (DESIGN, VM rules).
                return _shmHost[peer] ??= new ShmChannel(HostSegment, _job.Rank, peer, singleCopy: false, Doorbells, ChannelKind.ShmHost);
            case ChannelKind.Tcp:
                if (_tcp[peer] != null) return _tcp[peer];
                // The higher rank connects, the lower accepts, so no pair waits on each other.
                if (peer < _job.Rank) return _tcp[peer] = Connect(peer);
                AcceptPending();
                return _tcp[peer];
            default:
                throw new InvalidOperationException($"rank {_job.Rank} cannot reach rank {peer} by {kind}: no segment for it");
        }
    }

    /// <summary>Start-up: opens every tcp channel the decision asked for, waiting for the peers' connections.</summary>
    public void ConnectAll(IReadOnlyList<int> tcpPeers)
    {
        foreach (int peer in tcpPeers)
            if (peer < _job.Rank) _tcp[peer] = Connect(peer);
        var deadline = DateTime.UtcNow + ConnectTimeout;
        int Missing() => tcpPeers.Count(p => p > _job.Rank && _tcp[p] == null);
        while (Missing() is var missing and > 0)
        {
            if (!_listener.Poll(DeadlineMicros(deadline), SelectMode.SelectRead))
                throw new BootstrapException($"rank {_job.Rank} waited {ConnectTimeout.TotalSeconds} s for tcp connections from {missing} peers");
            AcceptPending();
        }
    }

    private TcpChannel Connect(int peer)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(ParseEndpoint(_cards[peer]));
            socket.Send(Handshake(_job.Secret, _job.Rank));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new BootstrapException($"rank {_job.Rank} cannot connect to rank {peer} at {_cards[peer]}: {e.Message}");
        }
        return new TcpChannel(socket);
    }

    /// <summary>Takes every connection waiting on the listener. One without the job's secret is
    /// refused and logged; the rank goes on.</summary>
    private void AcceptPending()
    {
        var secret = Handshake(_job.Secret, 0).AsSpan(0, 16);
        while (_listener.Poll(0, SelectMode.SelectRead))
        {
            var socket = _listener.Accept();
            var refusal = CheckHandshake(socket, secret, out int peer);
            if (refusal != null)
            {
                Log($"cosched: rank {_job.Rank} refused a tcp connection from {socket.RemoteEndPoint}: {refusal}");
                socket.Dispose();
                continue;
            }
            _tcp[peer] = new TcpChannel(socket);
        }
    }

    private string? CheckHandshake(Socket socket, ReadOnlySpan<byte> secret, out int peer)
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
        if (peer <= _job.Rank || peer >= _job.Size || _tcp[peer] != null) return $"unexpected rank {peer}";
        return null;
    }

    private static long MembershipMark(string secret)
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

    private static int DeadlineMicros(DateTime deadline) =>
        (int)Math.Clamp((deadline - DateTime.UtcNow).TotalMicroseconds, 0, int.MaxValue);

    private static IPEndPoint ParseEndpoint(string card)
    {
        foreach (var field in card.Split(';'))
            if (field.StartsWith("tcp=", StringComparison.Ordinal) && IPEndPoint.TryParse(field[4..], out var endpoint))
                return endpoint;
        throw new BootstrapException($"endpoint card without a tcp address: {card}");
    }

    public void Dispose()
    {
        foreach (var channel in _tcp) channel?.Dispose();
        _listener.Dispose();
        Segment?.Dispose();
        HostSegment?.Dispose();
    }
}
