using System.Runtime.InteropServices;
using CsCheck;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging.Tests.Transports;

/// <summary>Property tests of the shared-memory ring on plain native memory: random frame sizes
/// written and read, every frame out once, in order, with its envelope and payload intact, across
/// wrap-around and padding, and the ring never takes a frame it has no room for.</summary>
public unsafe class SpscRingPropertyTests
{
    /// <summary>A zeroed control page and data area, as a fresh shared segment provides.</summary>
    private sealed class RingMemory : IDisposable
    {
        public readonly byte* Control;
        public readonly byte* Data;
        public readonly int Capacity;

        public RingMemory(int capacity)
        {
            Capacity = capacity;
            Control = (byte*)NativeMemory.AllocZeroed(4096);
            Data = (byte*)NativeMemory.AllocZeroed((nuint)capacity);
        }

        public SpscRing Open() => new(Control, Data, Capacity);

        /// <summary>Bytes the consumer has released so far (the only shared counter).</summary>
        public long SharedTail => Volatile.Read(ref *(long*)Control);

        public void Dispose()
        {
            NativeMemory.Free(Control);
            NativeMemory.Free(Data);
        }
    }

    private static readonly byte[] Pool = PointToPoint.Jobs.Pattern(1 << 17, 77);

    private const int WireBytes = FrameHeader.WireBytes;

    private static long FrameBytes(int length) => (WireBytes + (long)length + 7) & ~7L;

    private static int MaxPayload(int capacity) => capacity / 2 - WireBytes - 16;

    /// <summary>Frame number n: an envelope and payload that both depend on n.</summary>
    private static FrameHeader Header(int n, int length) =>
        FrameHeader.Create((FrameKind)(1 + n % 4), n, ~n, length * 7 + 3, ((long)n << 33) | (uint)length);

    private static int PoolOffset(int n, int length) => (int)((uint)(n * 2654435761u) % (uint)(Pool.Length - length + 1));

    private static bool Write(SpscRing ring, int n, int length)
    {
        fixed (byte* p = Pool)
            return ring.TryWrite(Header(n, length), p + PoolOffset(n, length), length);
    }

    /// <summary>Checks the frame the consumer sees; returns a reason if it is not frame n of that length.</summary>
    private static string? Check(in FrameHeader header, byte* payload, int length, int n, int expectedLength)
    {
        var expected = Header(n, expectedLength);
        if (length != expectedLength) return $"frame {n}: length {length}, expected {expectedLength}";
        if (header.Kind != expected.Kind || header.Context != expected.Context || header.Tag != expected.Tag ||
            header.Request != expected.Request || header.Size != expected.Size)
            return $"frame {n}: envelope ({header.Kind}, {header.Context}, {header.Tag}, {header.Request}, {header.Size}) is not ({expected.Kind}, {expected.Context}, {expected.Tag}, {expected.Request}, {expected.Size})";
        if (!new ReadOnlySpan<byte>(payload, length).SequenceEqual(Pool.AsSpan(PoolOffset(n, length), length)))
            return $"frame {n}: payload of {length} bytes damaged";
        return null;
    }

    private static readonly Gen<int> Capacities = Gen.OneOfConst(8192, 16384, 65536);

    /// <summary>Mostly small frames, some medium, a few up to the largest payload the ring allows.</summary>
    private static Gen<int> Lengths(int capacity) => Gen.Frequency(
        (6, Gen.Int[0, 64]),
        (3, Gen.Int[65, capacity / 8]),
        (1, Gen.Int[capacity / 8, MaxPayload(capacity)]),
        (1, Gen.Const(MaxPayload(capacity))));

    /// <summary>An operation: a write of the given length, or (negative) a read of up to -n frames.</summary>
    private static Gen<(int Capacity, int[] Ops)> Scenarios =>
        Capacities.SelectMany(capacity =>
            Gen.Frequency((3, Lengths(capacity)), (2, Gen.Int[-4, -1])).Array[1, 300].Select(ops => (capacity, ops)));

    [Fact]
    public void SingleThreadInterleavingKeepsEveryFrameInOrderAndNeverOverfills()
    {
        Scenarios.Sample((capacity, ops) =>
        {
            using var memory = new RingMemory(capacity);
            var producer = memory.Open();
            var consumer = memory.Open();
            // Reference layout: where each frame goes (8-byte aligned, a padding word when the frame
            // does not fit before the end), and how many bytes the ring holds.
            long head = 0, tail = 0;
            var inFlight = new Queue<(int N, int Length, long Position, long Bytes)>();
            int written = 0, read = 0;
            foreach (int op in ops)
            {
                if (op >= 0)
                {
                    long frame = FrameBytes(op);
                    long position = head % capacity;
                    long pad = frame > capacity - position ? capacity - position : 0;
                    long free = capacity - (head - tail);
                    bool ok = Write(producer, written, op);
                    // Safety: never accept a frame (with its padding) that does not fit in what is free.
                    if (ok && pad + frame > free) Assert.Fail($"frame {written} of {op} bytes accepted with {free} bytes free (padding {pad})");
                    // Liveness: an empty ring takes any frame, and so does one with room to spare.
                    if (!ok && (inFlight.Count == 0 || free >= 2 * frame + 8))
                        Assert.Fail($"frame {written} of {op} bytes refused with {free} of {capacity} bytes free");
                    if (ok)
                    {
                        inFlight.Enqueue((written, op, pad == 0 ? position : 0, pad + frame));
                        head += pad + frame;
                        written++;
                    }
                }
                else
                {
                    for (int k = 0; k < -op; k++)
                    {
                        bool any = consumer.TryPeek(out var header, out var payload, out int length);
                        if (inFlight.Count == 0)
                        {
                            if (any) Assert.Fail($"read a frame that was never written (after {read})");
                            break;
                        }
                        if (!any) Assert.Fail($"frame {read} was written but cannot be read");
                        var (n, expectedLength, position, bytes) = inFlight.Dequeue();
                        if (Check(header, payload, length, n, expectedLength) is { } problem) Assert.Fail(problem);
                        if (payload != memory.Data + position + WireBytes) Assert.Fail($"frame {n} is not where the layout puts it");
                        consumer.Consume();
                        tail += bytes;
                        if (memory.SharedTail != tail) Assert.Fail($"shared tail {memory.SharedTail} after frame {n}, expected {tail}");
                        read++;
                    }
                }
            }
            // Everything still in the ring comes out, then nothing more.
            while (inFlight.Count > 0)
            {
                var (n, expectedLength, _, _) = inFlight.Dequeue();
                Assert.True(consumer.TryPeek(out var header, out var payload, out int length), $"frame {n} lost");
                if (Check(header, payload, length, n, expectedLength) is { } problem) Assert.Fail(problem);
                consumer.Consume();
            }
            Assert.False(consumer.TryPeek(out _, out _, out _));
        }, iter: 3000);
    }

    [Fact]
    public void ManyLapsOfSmallAndLargeFramesWrapCorrectly()
    {
        // Long runs keep the ring nearly full for many laps, so padding lands at every offset.
        Gen.Select(Capacities, Gen.Int[0, 2000].Array[2000, 4000]).Sample((capacity, raw) =>
        {
            using var memory = new RingMemory(capacity);
            var producer = memory.Open();
            var consumer = memory.Open();
            int max = MaxPayload(capacity);
            var lengths = raw.Select(x => x % 7 == 0 ? max - x % 100 : x % (max + 1)).ToArray();
            int next = 0, done = 0;
            long laps = 0;
            while (done < lengths.Length)
            {
                while (next < lengths.Length && Write(producer, next, lengths[next])) next++;
                // Read one or two frames, so the producer refills into the space just released.
                for (int k = 0; k < 1 + done % 2 && done < next; k++)
                {
                    Assert.True(consumer.TryPeek(out var header, out var payload, out int length));
                    if (Check(header, payload, length, done, lengths[done]) is { } problem) Assert.Fail(problem);
                    consumer.Consume();
                    done++;
                }
                laps = memory.SharedTail / capacity;
            }
            Assert.False(consumer.TryPeek(out _, out _, out _));
            Assert.True(laps >= 2, $"only {laps} laps");
        }, iter: 40);
    }

    /// <summary>A payload of words that each look like a publish word for a frame a little later
    /// in the sequence: stale bytes of an older lap must never be read as a new frame.</summary>
    private static byte[] LookAlikePayload(int n, int length)
    {
        var payload = new byte[length];
        for (int j = 0; j + 8 <= length; j += 8)
            BitConverter.TryWriteBytes(payload.AsSpan(j), (long)((ulong)(uint)(j % 512) << 32 | (uint)(n + 1 + j / 8)));
        return payload;
    }

    [Fact]
    public void StaleBytesOfAnOlderLapNeverLookLikeAFrame()
    {
        Gen.Select(Capacities, Gen.Int[0, 1500].Array[300, 1500]).Sample((capacity, lengths) =>
        {
            using var memory = new RingMemory(capacity);
            var producer = memory.Open();
            var consumer = memory.Open();
            var sent = new Queue<(int N, byte[] Payload)>();
            int next = 0;
            for (int round = 0; next < lengths.Length || sent.Count > 0; round++)
            {
                // Write a few, then read until empty: the consumer always runs into the word after the
                // last frame, which holds whatever an older lap left there.
                for (int k = 0; k < 1 + round % 3 && next < lengths.Length; k++)
                {
                    var payload = LookAlikePayload(next, lengths[next]);
                    fixed (byte* p = payload)
                        if (!producer.TryWrite(Header(next, payload.Length), p, payload.Length)) break;
                    sent.Enqueue((next++, payload));
                }
                while (consumer.TryPeek(out var header, out var data, out int length))
                {
                    if (sent.Count == 0) Assert.Fail($"a frame appeared that was never written (after frame {next - 1}, {length} bytes)");
                    var (n, payload) = sent.Dequeue();
                    if (header.Context != n || length != payload.Length || !new ReadOnlySpan<byte>(data, length).SequenceEqual(payload))
                        Assert.Fail($"frame {n} damaged or out of order");
                    consumer.Consume();
                }
                if (sent.Count > 0) Assert.Fail($"frame {sent.Peek().N} written but not readable");
            }
        }, iter: 100);
    }

    [Fact]
    public void ProducerAndConsumerThreadsAgree()
    {
        Gen.Select(Capacities, Gen.Int[0, 3000].Array[500, 3000], Gen.Int[0, 3]).Sample((capacity, raw, consumerPace) =>
        {
            using var memory = new RingMemory(capacity);
            var producer = memory.Open();
            var consumer = memory.Open();
            int max = MaxPayload(capacity);
            var lengths = raw.Select(x => x % 11 == 0 ? max : x % 5 == 0 ? x % (max + 1) : x % 65).ToArray();
            string? producerProblem = null;
            bool stop = false;
            var writer = new Thread(() =>
            {
                long head = 0;
                for (int n = 0; n < lengths.Length; n++)
                {
                    var spin = new SpinWait();
                    while (!Write(producer, n, lengths[n]))
                    {
                        if (Volatile.Read(ref stop)) return;
                        spin.SpinOnce();
                    }
                    long frame = FrameBytes(lengths[n]);
                    long position = head % capacity;
                    head += (frame > capacity - position ? capacity - position : 0) + frame;
                    // The consumer's tail only grows: if the ring had room when it took the frame,
                    // it still has now.
                    if (head - memory.SharedTail > capacity)
                    {
                        producerProblem = $"frame {n}: {head - memory.SharedTail} bytes in a ring of {capacity}";
                        return;
                    }
                }
            }) { IsBackground = true };
            writer.Start();
            string? problem = null;
            try
            {
                // A hang guard, not a speed check: a host loaded 10x over may starve a thread for seconds.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                for (int n = 0; n < lengths.Length && problem == null; n++)
                {
                    var spin = new SpinWait();
                    FrameHeader header;
                    byte* payload;
                    int length;
                    while (!consumer.TryPeek(out header, out payload, out length))
                    {
                        if (producerProblem != null || DateTime.UtcNow > deadline) break;
                        spin.SpinOnce();
                    }
                    if (producerProblem != null) break;
                    if (DateTime.UtcNow > deadline)
                    {
                        problem = $"frame {n} never arrived";
                        break;
                    }
                    problem = Check(header, payload, length, n, lengths[n]);
                    // A slow consumer keeps the ring full, so the producer works against a moving tail.
                    if (consumerPace == 0 && n % 64 == 0) Thread.Yield();
                    consumer.Consume();
                }
            }
            finally
            {
                // The producer must be gone before the ring's memory is freed.
                Volatile.Write(ref stop, true);
                writer.Join();
            }
            Assert.Null(producerProblem);
            Assert.Null(problem);
            Assert.False(consumer.TryPeek(out _, out _, out _));
        }, iter: 60, threads: 1);
    }
}
