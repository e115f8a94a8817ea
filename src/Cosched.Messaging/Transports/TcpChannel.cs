using System.Net.Sockets;
using Cosched.Messaging.Native;

namespace Cosched.Messaging.Transports;

/// <summary>TCP channel to one peer: one connection per pair, Nagle off, frames written with one
/// vectored write (length word and envelope, then the payload in place).</summary>
internal sealed unsafe class TcpChannel : IChannel
{
    private readonly Socket _socket;
    private readonly int _fd;
    private readonly byte[] _receive;
    private int _receiveStart, _receiveEnd;
    private int _peekedBytes;
    private bool _closed;
    private readonly byte[] _pending;
    private int _pendingStart, _pendingEnd;

    public TcpChannel(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _socket.Blocking = false;
        _fd = (int)_socket.Handle;
        MaxPayload = ChunkBytes;
        _receive = GC.AllocateUninitializedArray<byte>(2 * (FrameHeader.WireBytes + MaxPayload), pinned: true);
        _pending = GC.AllocateUninitializedArray<byte>(FrameHeader.WireBytes + MaxPayload, pinned: true);
    }

    public static int ChunkBytes { get; set; } = Tuning.Int("COSCHED_TCP_CHUNK", 64 * 1024);

    public ChannelKind Kind => ChannelKind.Tcp;
    public int MaxPayload { get; }
    public int PollDescriptor => _closed ? -1 : _fd;
    public bool SingleCopy => false;
    public bool HasUnsentBytes => _pendingStart < _pendingEnd;

    public bool TryWrite(in FrameHeader header, byte* payload, int length)
    {
        if (!Flush()) return false;
        byte* head = stackalloc byte[FrameHeader.WireBytes];
        *(long*)head = length;
        *(FrameHeader*)(head + 8) = header;
        var iov = stackalloc Linux.IoVec[2];
        iov[0] = new Linux.IoVec { Base = head, Length = FrameHeader.WireBytes };
        iov[1] = new Linux.IoVec { Base = payload, Length = length };
        long total = FrameHeader.WireBytes + length;
        long written = Linux.Writev(_fd, iov, length > 0 ? 2 : 1);
        if (written < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != Linux.EAGAIN && errno != Linux.EINTR) throw new PeerLostException($"tcp write failed (errno {errno})");
            written = 0;
        }
        if (written < total)
        {
            // Keep the rest; the frame counts as sent and goes out with the next Flush.
            fixed (byte* pending = _pending)
            {
                long fromHead = Math.Max(0, FrameHeader.WireBytes - written);
                Buffer.MemoryCopy(head + FrameHeader.WireBytes - fromHead, pending, fromHead, fromHead);
                long fromPayload = total - written - fromHead;
                Buffer.MemoryCopy(payload + (length - fromPayload), pending + fromHead, fromPayload, fromPayload);
                _pendingStart = 0;
                _pendingEnd = (int)(fromHead + fromPayload);
            }
        }
        return true;
    }

    public bool Flush()
    {
        while (_pendingStart < _pendingEnd)
        {
            fixed (byte* pending = _pending)
            {
                var iov = new Linux.IoVec { Base = pending + _pendingStart, Length = _pendingEnd - _pendingStart };
                long written = Linux.Writev(_fd, &iov, 1);
                if (written < 0)
                {
                    int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == Linux.EAGAIN || errno == Linux.EINTR) return false;
                    throw new PeerLostException($"tcp write failed (errno {errno})");
                }
                _pendingStart += (int)written;
            }
        }
        return true;
    }

    public bool TryPeek(out FrameHeader header, out byte* payload, out int length)
    {
        if (!HasFrame() && (_closed || !(Fill() && HasFrame())))
        {
            header = default;
            payload = null;
            length = 0;
            return false;
        }
        fixed (byte* buffer = _receive)
        {
            byte* at = buffer + _receiveStart;
            length = (int)*(long*)at;
            header = *(FrameHeader*)(at + 8);
            payload = at + FrameHeader.WireBytes; // the array is pinned
            _peekedBytes = FrameHeader.WireBytes + length;
            return true;
        }
    }

    private bool HasFrame()
    {
        int available = _receiveEnd - _receiveStart;
        if (available < FrameHeader.WireBytes) return false;
        long length = BitConverter.ToInt64(_receive, _receiveStart);
        if (length < 0 || length > MaxPayload) throw new PeerLostException($"malformed tcp frame of {length} bytes");
        return available >= FrameHeader.WireBytes + length;
    }

    private bool Fill()
    {
        if (_receiveStart > 0 && _receive.Length - _receiveEnd < FrameHeader.WireBytes + MaxPayload)
        {
            Buffer.BlockCopy(_receive, _receiveStart, _receive, 0, _receiveEnd - _receiveStart);
            _receiveEnd -= _receiveStart;
            _receiveStart = 0;
        }
        fixed (byte* buffer = _receive)
        {
            long got = Linux.Read(_fd, buffer + _receiveEnd, _receive.Length - _receiveEnd);
            if (got > 0)
            {
                _receiveEnd += (int)got;
                return true;
            }
            int errno = got == 0 ? 0 : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            // The peer finished (or died, which the launcher reports); nothing more will come. A reset
            // says the same: a rank that leaves does not wait for frames it will never read (a late
            // marker, a message it never received), so closing its socket resets the connection.
            if (got == 0 || errno == Linux.ECONNRESET)
            {
                _closed = true;
                return false;
            }
            if (errno == Linux.EAGAIN || errno == Linux.EINTR) return false;
            throw new PeerLostException($"tcp read failed (errno {errno})");
        }
    }

    public void Consume()
    {
        _receiveStart += _peekedBytes;
        _peekedBytes = 0;
        if (_receiveStart == _receiveEnd) _receiveStart = _receiveEnd = 0;
    }

    public void Dispose() => _socket.Dispose();
}
