using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Benchmarks;

/// <summary>One frame through a shared-memory ring: write, peek, copy the payload out, consume.
/// Producer and consumer are the same thread, so this is the ring's own cost without cache-line
/// transfers between cores.</summary>
[MemoryDiagnoser]
public unsafe class SpscRingBenchmarks
{
    private const long Capacity = 1 << 20;
    private byte* _control, _data, _payload, _sink;
    private SpscRing _ring = null!;
    private FrameHeader _header;

    [Params(8, 32 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _control = (byte*)NativeMemory.AlignedAlloc(64, 64);
        _data = (byte*)NativeMemory.AlignedAlloc((nuint)Capacity, 4096);
        _payload = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 64);
        _sink = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 64);
        NativeMemory.Clear(_control, 64);
        NativeMemory.Clear(_data, (nuint)Capacity);
        NativeMemory.Fill(_payload, (nuint)Bytes, 0x5a);
        _ring = new SpscRing(_control, _data, Capacity);
        _header = FrameHeader.Create(FrameKind.Eager, 0, 1, 0, Bytes);
    }

    [Benchmark]
    public int WriteAndRead()
    {
        if (!_ring.TryWrite(_header, _payload, Bytes)) throw new InvalidOperationException("ring full");
        if (!_ring.TryPeek(out var header, out var payload, out int length)) throw new InvalidOperationException("frame lost");
        Buffer.MemoryCopy(payload, _sink, Bytes, length);
        _ring.Consume();
        return header.Tag;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_control);
        NativeMemory.AlignedFree(_data);
        NativeMemory.AlignedFree(_payload);
        NativeMemory.AlignedFree(_sink);
    }
}
