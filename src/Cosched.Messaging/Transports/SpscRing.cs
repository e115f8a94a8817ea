using System.Runtime.CompilerServices;

namespace Cosched.Messaging.Transports;

/// <summary>Lock-free single-producer single-consumer ring of frames in shared memory.</summary>
/// <remarks>
/// Each frame starts with an 8-byte publish word: the frame's sequence number (low 32 bits) and its
/// payload length (high 32 bits). The producer writes the envelope and payload first and the publish
/// word last, so the consumer's poll and its read of a small message touch the same cache line (the
/// "fast box" idea). Stale bytes of an older lap can never look like the next sequence number: before
/// publishing a frame the producer zeroes the word where the following frame will start.
/// The only shared counter is the consumer's tail, which the producer reads only when it believes the
/// ring is full. Frames are 8-byte aligned; a frame that does not fit before the end of the data area
/// is preceded by a padding word that sends the consumer back to offset 0.
/// </remarks>
internal sealed unsafe class SpscRing
{
    private const uint PadLength = uint.MaxValue;
    private readonly long* _sharedTail;
    private readonly byte* _data;
    private readonly long _capacity;
    private readonly long _mask;

    // Producer-private state.
    private long _head;
    private long _cachedTail;
    private uint _writeSeq = 1;

    // Consumer-private state.
    private long _tail;
    private uint _readSeq = 1;
    private long _peekedBytes;

    public SpscRing(byte* control, byte* data, long capacity)
    {
        _sharedTail = (long*)control;
        _data = data;
        _capacity = capacity;
        _mask = capacity - 1;
        // Producer and consumer each resume from the shared tail (a fresh segment holds zeros).
        _tail = _head = _cachedTail = Volatile.Read(ref *_sharedTail);
    }

    /// <summary>Largest payload that fits one frame; keeps at least two frames in flight.</summary>
    public int MaxPayload => (int)Math.Min(int.MaxValue, _capacity / 2 - FrameHeader.WireBytes - 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long FrameBytes(int length) => (FrameHeader.WireBytes + (long)length + 7) & ~7L;

    private static uint Next(uint seq) => seq == uint.MaxValue ? 1 : seq + 1;

    public bool TryWrite(in FrameHeader header, byte* payload, int length)
    {
        long frame = FrameBytes(length);
        long position = _head & _mask;
        long contiguous = _capacity - position;
        long pad = frame > contiguous ? contiguous : 0;
        long needed = pad + frame + 8; // + the next publish word, zeroed before we publish
        if (_head + needed - _cachedTail > _capacity)
        {
            _cachedTail = Volatile.Read(ref *_sharedTail);
            if (_head + needed - _cachedTail > _capacity) return false;
        }

        uint padSeq = 0;
        if (pad != 0)
        {
            padSeq = _writeSeq;
            _writeSeq = Next(_writeSeq);
            position = 0;
        }
        byte* at = _data + position;
        *(FrameHeader*)(at + 8) = header;
        if (length > 0) Buffer.MemoryCopy(payload, at + FrameHeader.WireBytes, length, length);
        *(long*)(_data + ((position + frame) & _mask)) = 0;
        Volatile.Write(ref *(long*)at, (long)((ulong)(uint)length << 32 | _writeSeq));
        _writeSeq = Next(_writeSeq);
        if (pad != 0)
        {
            // The frame at offset 0 is complete; only now let the consumer leave the old lap.
            Volatile.Write(ref *(long*)(_data + (_head & _mask)), (long)((ulong)PadLength << 32 | padSeq));
        }
        _head += pad + frame;
        return true;
    }

    public bool TryPeek(out FrameHeader header, out byte* payload, out int length)
    {
        while (true)
        {
            long position = _tail & _mask;
            ulong word = (ulong)Volatile.Read(ref *(long*)(_data + position));
            if ((uint)word != _readSeq)
            {
                header = default;
                payload = null;
                length = 0;
                return false;
            }
            uint size = (uint)(word >> 32);
            if (size == PadLength)
            {
                _readSeq = Next(_readSeq);
                _tail += _capacity - position;
                continue;
            }
            header = *(FrameHeader*)(_data + position + 8);
            payload = _data + position + FrameHeader.WireBytes;
            length = (int)size;
            _peekedBytes = FrameBytes(length);
            return true;
        }
    }

    /// <remarks>Peeking twice without consuming sees the same frame again.</remarks>
    public void Consume()
    {
        _readSeq = Next(_readSeq);
        _tail += _peekedBytes;
        _peekedBytes = 0;
        Volatile.Write(ref *_sharedTail, _tail);
    }
}
