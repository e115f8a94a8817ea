using System.Runtime.InteropServices;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Tests.Transports;

/// <summary>A peek does not consume: the receive fast path looks at a frame and may leave it for the
/// general path, which must then see the very same frame.</summary>
public unsafe class SpscRingPeekTests
{
    [Fact]
    public void PeekingAgainWithoutConsumingSeesTheSameFrameAcrossWrapAround()
    {
        const int capacity = 8192;
        var control = (byte*)NativeMemory.AllocZeroed(4096);
        var data = (byte*)NativeMemory.AllocZeroed(capacity);
        try
        {
            var producer = new SpscRing(control, data, capacity);
            var consumer = new SpscRing(control, data, capacity);
            var payload = stackalloc byte[3000];
            for (int i = 0; i < 100; i++) // 100 frames of 3 KiB wrap the 8 KiB ring many times
            {
                payload[0] = (byte)i;
                Assert.True(producer.TryWrite(FrameHeader.Create(FrameKind.Eager, 1, i, 0, 3000), payload, 3000));
                for (int look = 0; look < 3; look++)
                {
                    Assert.True(consumer.TryPeek(out var header, out var p, out int length));
                    Assert.Equal((i, 3000, (byte)i), (header.Tag, length, p[0]));
                }
                consumer.Consume();
                Assert.False(consumer.TryPeek(out _, out _, out _));
            }
        }
        finally
        {
            NativeMemory.Free(control);
            NativeMemory.Free(data);
        }
    }
}
