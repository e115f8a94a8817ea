using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Tests.PointToPoint;

/// <summary>Large messages whose receive buffer lies a short distance past the send buffer (modulo a
/// page) skip the kernel's single copy, which runs slowly there, and are streamed: either way every
/// byte arrives.</summary>
[Collection(JobCollection.Name)]
public unsafe class SingleCopyDistanceTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(16, false)]
    [InlineData(63, false)]
    [InlineData(64, true)]
    [InlineData(4095, true)]
    [InlineData(4096, true)]
    [InlineData(4096 + 24, false)]
    [InlineData(-16, true)]
    public void TheKernelCopiesFastExceptAShortDistanceAhead(int destinationMinusSource, bool fast)
    {
        const long source = 0x7f00_1234_5090;
        Assert.Equal(fast, CrossMemory.CopiesFast(source, (byte*)(source + destinationMinusSource)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(40)]
    [InlineData(64)]
    [InlineData(4000)]
    public void AMessageArrivesWhateverTheDistanceBetweenTheBuffers(int receiveOffset)
    {
        const int size = 300_000; // rendezvous
        Jobs.Run(2, world =>
        {
            // Both buffers start on a page, so the receive lies receiveOffset bytes past the send.
            using var buffer = new PageAlignedBuffer(size + 8192);
            if (world.Rank == 0)
            {
                Jobs.Pattern(size, seed: receiveOffset).CopyTo(buffer.Span);
                world.Send<byte>(buffer.Span[..size], 1, tag: 3);
            }
            else
            {
                var status = world.Recv<byte>(buffer.Span.Slice(receiveOffset, size), 0, tag: 3);
                Assert.Equal(size, status.Count);
                Assert.True(buffer.Span.Slice(receiveOffset, size).SequenceEqual(Jobs.Pattern(size, seed: receiveOffset)));
            }
        });
    }

    private sealed class PageAlignedBuffer(int bytes) : IDisposable
    {
        private readonly byte* _memory = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)bytes, 4096);
        public Span<byte> Span => new(_memory, bytes);
        public void Dispose() => System.Runtime.InteropServices.NativeMemory.AlignedFree(_memory);
    }
}
