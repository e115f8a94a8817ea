using BenchmarkDotNet.Attributes;

namespace Cosched.Messaging.Benchmarks;

/// <summary>A round trip of 8 bytes between two ranks of an in-process job over shared memory:
/// the whole stack (matching, eager protocol, shm ring, doorbell) in the common case.</summary>
/// <remarks>Rank 0's communicator is handed to the benchmark thread (the runtime is used by one
/// thread at a time, not tied to one); rank 1 echoes on its own thread until told to stop.</remarks>
[MemoryDiagnoser]
public class PingPongBenchmarks
{
    private const int DataTag = 1, StopTag = 2;
    private readonly byte[] _buffer = new byte[8];
    private readonly ManualResetEventSlim _ready = new(), _done = new();
    private Thread? _job;
    private Communicator _rank0 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _job = new Thread(() => InProcessJob.Run(2, comm =>
        {
            if (comm.Rank == 0)
            {
                _rank0 = comm;
                _ready.Set();
                _done.Wait();
                comm.Send<byte>(_buffer, 1, StopTag);
                return;
            }
            var buffer = new byte[8];
            while (comm.Recv<byte>(buffer, 0, Communicator.AnyTag).Tag == DataTag)
                comm.Send<byte>(buffer, 0, DataTag);
        }, timeout: TimeSpan.FromHours(1))) { IsBackground = true, Name = "in-process job" };
        _job.Start();
        _ready.Wait();
    }

    [Benchmark]
    public void RoundTripOf8Bytes()
    {
        _rank0.Send<byte>(_buffer, 1, DataTag);
        _rank0.Recv<byte>(_buffer, 1, DataTag);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _done.Set();
        _job?.Join();
    }
}
