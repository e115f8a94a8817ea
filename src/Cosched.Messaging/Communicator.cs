using System.Runtime.InteropServices;
using Cosched.Messaging.Protocol;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

/// <summary>A group of ranks with its own matching context (MPI_Comm): point-to-point messages and
/// collectives among its members, numbered 0..Size-1.</summary>
public sealed unsafe partial class Communicator
{
    /// <summary>Receive from whichever rank sends first (MPI_ANY_SOURCE).</summary>
    public const int AnySource = MatchContext.AnySource;
    /// <summary>Receive a message with any tag (MPI_ANY_TAG).</summary>
    public const int AnyTag = MatchContext.AnyTag;

    internal readonly Engine Engine;
    internal readonly int PointToPointContext;
    internal readonly int CollectiveContext;
    private readonly int[] _worldRanks;

    internal Communicator(Engine engine, int context, int[] worldRanks)
    {
        Engine = engine;
        PointToPointContext = context;
        CollectiveContext = context + 1;
        _worldRanks = worldRanks;
        Size = worldRanks.Length;
        var worldToComm = new int[engine.Size];
        Array.Fill(worldToComm, -1);
        for (int i = 0; i < worldRanks.Length; i++) worldToComm[worldRanks[i]] = i;
        Rank = worldToComm[engine.Rank];
        engine.Register(PointToPointContext, worldToComm, worldRanks);
        engine.Register(CollectiveContext, worldToComm, worldRanks);
    }

    /// <summary>All ranks of the job, as the launcher started them. A program started without the
    /// launcher is a job of one rank.</summary>
    public static Communicator World => Runtime.World;

    /// <summary>This process's number in the communicator.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks in the communicator.</summary>
    public int Size { get; }

    /// <summary>The rank's number in <see cref="World"/>.</summary>
    public int WorldRank(int rank) => _worldRanks[CheckRank(rank, nameof(rank))];

    /// <summary>Which transport carries messages to a rank: "self", "shm" or "tcp".</summary>
    public string ChannelTo(int rank) => Engine.ChannelKindTo(_worldRanks[CheckRank(rank, nameof(rank))]).Name();

    /// <summary>As <see cref="ChannelTo"/>, but "shm-host" where the shared memory is the host segment between VMs.</summary>
    public string RouteTo(int rank) => Engine.ChannelKindTo(_worldRanks[CheckRank(rank, nameof(rank))]).Route();

    // ---- blocking point-to-point -------------------------------------------------------------

    /// <summary>Sends the elements to rank <paramref name="dest"/>; returns when the buffer may be reused.</summary>
    public void Send<T>(ReadOnlySpan<T> data, int dest, int tag) where T : unmanaged
    {
        CheckTag(tag);
        fixed (T* p = data)
            Engine.Send((byte*)p, (long)data.Length * sizeof(T), _worldRanks[CheckRank(dest, nameof(dest))], PointToPointContext, tag);
    }

    /// <summary>Sends one value.</summary>
    public void Send<T>(T value, int dest, int tag) where T : unmanaged => Send(new ReadOnlySpan<T>(in value), dest, tag);

    /// <summary>Synchronous send (MPI_Ssend): returns only once rank <paramref name="dest"/> has
    /// matched it with a receive, whatever its size.</summary>
    public void Ssend<T>(ReadOnlySpan<T> data, int dest, int tag) where T : unmanaged
    {
        CheckTag(tag);
        int world = _worldRanks[CheckRank(dest, nameof(dest))];
        fixed (T* p = data)
        {
            var request = Engine.StartSend((byte*)p, (long)data.Length * sizeof(T), world, PointToPointContext, tag, userOwned: false, synchronous: true);
            Engine.Wait(request);
            Engine.Return(request);
        }
    }

    /// <summary>Receives a message into the buffer; the status says who sent it, with which tag and
    /// how many elements arrived. A message larger than the buffer throws <see cref="MessageTruncatedException"/>.</summary>
    public Status Recv<T>(Span<T> buffer, int source, int tag) where T : unmanaged
    {
        CheckSource(source);
        CheckReceiveTag(tag, nameof(tag));
        fixed (T* p = buffer)
            return Engine.Receive((byte*)p, (long)buffer.Length * sizeof(T), sizeof(T), source, PointToPointContext, tag);
    }

    /// <summary>Receives one value.</summary>
    public T Recv<T>(int source, int tag) where T : unmanaged
    {
        T value = default;
        Recv(new Span<T>(ref value), source, tag);
        return value;
    }

    /// <summary>Sends and receives at once, so that two ranks exchanging never deadlock (MPI_Sendrecv).</summary>
    public Status Sendrecv<T>(ReadOnlySpan<T> send, int dest, int sendTag, Span<T> receive, int source, int receiveTag) where T : unmanaged
    {
        CheckTag(sendTag, nameof(sendTag));
        CheckSource(source);
        CheckReceiveTag(receiveTag, nameof(receiveTag));
        // Checked before the receive is posted: a posted receive left behind by a throw would take
        // the next matching message into a buffer that is no longer pinned.
        int worldDest = _worldRanks[CheckRank(dest, nameof(dest))];
        fixed (T* s = send)
        fixed (T* r = receive)
        {
            return Engine.Exchange((byte*)s, (long)send.Length * sizeof(T), worldDest, sendTag,
                (byte*)r, (long)receive.Length * sizeof(T), sizeof(T), source, receiveTag, PointToPointContext);
        }
    }

    // ---- non-blocking point-to-point ---------------------------------------------------------

    /// <summary>Starts a send; the memory is pinned until the request completes.</summary>
    public Request Isend<T>(ReadOnlyMemory<T> data, int dest, int tag) where T : unmanaged => StartSend(data, dest, tag, synchronous: false);

    /// <summary>Starts a synchronous send (MPI_Issend): the request completes once the receive has matched.</summary>
    public Request Issend<T>(ReadOnlyMemory<T> data, int dest, int tag) where T : unmanaged => StartSend(data, dest, tag, synchronous: true);

    private Request StartSend<T>(ReadOnlyMemory<T> data, int dest, int tag, bool synchronous) where T : unmanaged
    {
        CheckTag(tag);
        int world = _worldRanks[CheckRank(dest, nameof(dest))];
        var pin = data.Pin();
        var request = Engine.StartSend((byte*)pin.Pointer, (long)data.Length * sizeof(T), world, PointToPointContext, tag, synchronous: synchronous);
        if (request.IsCompleted) pin.Dispose();
        else request.Pin = pin;
        return request;
    }

    /// <summary>Starts a receive; the memory is pinned until the request completes.</summary>
    public Request Irecv<T>(Memory<T> buffer, int source, int tag) where T : unmanaged
    {
        CheckSource(source);
        CheckReceiveTag(tag, nameof(tag));
        var pin = buffer.Pin();
        var request = Engine.StartReceive((byte*)pin.Pointer, (long)buffer.Length * sizeof(T), sizeof(T), source, PointToPointContext, tag);
        if (request.IsCompleted) pin.Dispose();
        else request.Pin = pin;
        return request;
    }

    /// <summary>Blocks until the request completes.</summary>
    public static Status Wait(Request request) => request.Wait();

    /// <summary>Blocks until every request completes; returns their statuses in order.</summary>
    public static Status[] WaitAll(params Request[] requests)
    {
        var statuses = new Status[requests.Length];
        for (int i = 0; i < requests.Length; i++) statuses[i] = requests[i].Wait();
        return statuses;
    }

    /// <summary>Blocks until one request completes; returns its index.</summary>
    public static int WaitAny(Request[] requests, out Status status)
    {
        if (requests.Length == 0) throw new ArgumentException("WaitAny needs at least one request");
        return requests[0].Engine.WaitAny(requests, out status);
    }

    /// <summary>Completes the request if it can without blocking.</summary>
    public static bool Test(Request request, out Status status) => request.Test(out status);

    /// <summary>Withdraws a receive that has not matched yet (MPI_Cancel); false if it already matched.</summary>
    public static bool Cancel(Request request) => request.Engine.Cancel(request);

    // ---- probing -----------------------------------------------------------------------------

    /// <summary>Waits for a matching message without receiving it; the count is in elements of T.</summary>
    public Status Probe<T>(int source, int tag) where T : unmanaged
    {
        CheckSource(source);
        CheckReceiveTag(tag, nameof(tag));
        return Engine.Probe(source, PointToPointContext, tag, sizeof(T));
    }

    /// <summary>Probe counting bytes.</summary>
    public Status Probe(int source, int tag) => Probe<byte>(source, tag);

    /// <summary>Checks for a matching message without blocking or receiving it.</summary>
    public bool Iprobe<T>(int source, int tag, out Status status) where T : unmanaged
    {
        CheckSource(source);
        CheckReceiveTag(tag, nameof(tag));
        return Engine.TryProbe(source, PointToPointContext, tag, sizeof(T), out status);
    }

    /// <summary>Iprobe counting bytes.</summary>
    public bool Iprobe(int source, int tag, out Status status) => Iprobe<byte>(source, tag, out status);

    // ---- byte-level operations for the collectives (on the collective context) ----------------

    internal void SendBytes(byte* data, long bytes, int dest, int tag) =>
        Engine.Send(data, bytes, _worldRanks[dest], CollectiveContext, tag);

    internal void ReceiveBytes(byte* buffer, long bytes, int source, int tag) =>
        Engine.Receive(buffer, bytes, 1, source, CollectiveContext, tag);

    internal Request StartSendBytes(byte* data, long bytes, int dest, int tag) =>
        Engine.StartSend(data, bytes, _worldRanks[dest], CollectiveContext, tag, userOwned: false);

    internal Request StartReceiveBytes(byte* buffer, long bytes, int source, int tag) =>
        Engine.StartReceive(buffer, bytes, 1, source, CollectiveContext, tag, userOwned: false);

    /// <summary>Waits for an internal request and recycles it.</summary>
    internal void Finish(Request request)
    {
        Engine.Wait(request);
        Engine.Return(request);
    }

    internal void SendrecvBytes(byte* send, long sendBytes, int dest, byte* receive, long receiveBytes, int source, int tag) =>
        Engine.Exchange(send, sendBytes, _worldRanks[dest], tag, receive, receiveBytes, 1, source, tag, CollectiveContext);

    // ---- argument checks ---------------------------------------------------------------------

    private int CheckRank(int rank, string name) =>
        (uint)rank < (uint)Size ? rank : throw new ArgumentOutOfRangeException(name, $"rank {rank} is not in this communicator of {Size} ranks");

    private void CheckSource(int source)
    {
        if (source != AnySource) CheckRank(source, nameof(source));
    }

    private static void CheckTag(int tag, string name = "tag")
    {
        if (tag < 0) throw new ArgumentOutOfRangeException(name, $"tag {tag} is negative; send tags must be 0 or more");
    }

    /// <summary>A receive tag below zero other than AnyTag could never match: reject it rather than wait forever.</summary>
    private static void CheckReceiveTag(int tag, string name)
    {
        if (tag < 0 && tag != AnyTag) throw new ArgumentOutOfRangeException(name, $"tag {tag} is negative; receive tags must be 0 or more, or AnyTag");
    }
}
