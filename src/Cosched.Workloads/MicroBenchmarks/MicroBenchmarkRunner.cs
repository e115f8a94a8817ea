using Cosched.Messaging;
using Cosched.Workloads.MicroBenchmarks.Kernels;

namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>A benchmark delivered data that was wrong; every rank of the job throws it.</summary>
public sealed class VerificationFailedException(string message) : Exception(message);

/// <summary>Runs the IMB-style micro-benchmarks on a communicator, the way IMB-MPI1 does: sizes
/// 0 and 2^MIN..2^MAX, repetitions capped by time, a warm-up, a barrier before each size, per-rank
/// times gathered to rank 0, and a correctness check of every size after it was timed.</summary>
public static class MicroBenchmarkRunner
{
    /// <summary>The rank side of `cosched bench`: measures each benchmark in turn, and rank 0 prints
    /// in the chosen format. Returns the exit code: 0, or 1 after a wrong result (reported as one
    /// line on <paramref name="error"/>, after what the benchmarks before it printed).</summary>
    public static int Run(Communicator comm, MicroBenchmarkOptions options, TextWriter output, TextWriter error) =>
        Run(comm, options, output, error, null);

    /// <summary><see cref="Run(Communicator, MicroBenchmarkOptions, TextWriter, TextWriter)"/> with the
    /// kernel made by <paramref name="kernel"/> for each benchmark (tests use it to plant wrong data).</summary>
    internal static int Run(Communicator comm, MicroBenchmarkOptions options, TextWriter output, TextWriter error, Func<MicroBenchmark, Communicator, Kernel>? kernel)
    {
        bool root = comm.Rank == 0;
        try
        {
            if (options.TimeSeries) return PingPongTimeSeries.Run(comm, options, output);
            // --migrate AT counts from here (the time series marks its own start).
            if (root) Runtime.MarkTimedPhase();
            if (options.Stats)
            {
                var latency = MeasureLatency(comm, options);
                if (root) output.Write(options.Format switch
                {
                    OutputFormat.Json => ReportWriters.Json(latency!),
                    OutputFormat.Csv => ReportWriters.Csv(latency!),
                    _ => ImbFormat.Preamble(options, DateTime.Now) + ImbFormat.Statistics(latency!) + ImbFormat.Ending,
                });
                output.Flush();
                return 0;
            }

            bool imb = options.Format == OutputFormat.Imb;
            if (root) output.Write(options.Format switch
            {
                OutputFormat.Imb => ImbFormat.Preamble(options, DateTime.Now),
                OutputFormat.Csv => ReportWriters.CsvHeader,
                _ => "",
            });
            foreach (var benchmark in options.Benchmarks)
            {
                if (root && imb) output.Write(ImbFormat.BlockHeader(benchmark, ProcessesFor(benchmark, comm.Size), comm.Size));
                output.Flush();
                // IMB prints each row as soon as it is measured; so do we, for long sweeps.
                var report = Measure(comm, benchmark, options, row =>
                {
                    if (!imb) return;
                    output.Write(ImbFormat.Row(benchmark, row) + "\n");
                    output.Flush();
                }, kernel);
                // And each benchmark's report as soon as it is done, so that it stays when a later one fails.
                if (root) output.Write(options.Format switch
                {
                    OutputFormat.Json => ReportWriters.Json(report!),
                    OutputFormat.Csv => ReportWriters.CsvRows(report!),
                    _ => "",
                });
                output.Flush();
            }
            if (root && imb) output.Write(ImbFormat.Ending);
            output.Flush();
            return 0;
        }
        catch (VerificationFailedException e)
        {
            if (root)
            {
                output.Flush();
                error.WriteLine($"cosched: {e.Message}");
            }
            return 1;
        }
    }

    /// <summary>Ranks that take part: PingPong uses two (one on a job of one rank), the rest all.</summary>
    public static int ProcessesFor(MicroBenchmark benchmark, int jobSize) =>
        benchmark == MicroBenchmark.PingPong ? Math.Min(2, jobSize) : jobSize;

    /// <summary>Runs the size sweep of <paramref name="benchmark"/>, one of the options' benchmarks,
    /// on every rank of <paramref name="comm"/>; returns the report on rank 0 (null elsewhere),
    /// calling <paramref name="onResult"/> there after each size.</summary>
    /// <exception cref="VerificationFailedException">A size delivered wrong data (on every rank).</exception>
    public static MicroBenchmarkReport? Measure(Communicator comm, MicroBenchmark benchmark, MicroBenchmarkOptions options, Action<SizeResult>? onResult = null) =>
        Measure(comm, benchmark, options, onResult, null);

    internal static MicroBenchmarkReport? Measure(Communicator comm, MicroBenchmark benchmark, MicroBenchmarkOptions options, Action<SizeResult>? onResult, Func<MicroBenchmark, Communicator, Kernel>? makeKernel)
    {
        if (options.Validate(comm.Size) is { } problem) throw new ArgumentException(problem, nameof(options));
        // Validate checked the buffer sizes of the options' own benchmarks only.
        if (!options.Benchmarks.Contains(benchmark))
            throw new ArgumentException($"{benchmark.Name()} is not one of the options' benchmarks", nameof(benchmark));
        var control = new ControlChannel(comm);
        var ranks = GatherRankInfo(comm, control);
        var kernel = makeKernel?.Invoke(benchmark, comm) ?? Kernel.Create(benchmark, comm);
        var results = new List<SizeResult>();
        int previous = Repetitions.MessagesPerSample;
        var sizes = MessageSizes.For(benchmark, options.MinLog, options.MaxLog).ToArray();
        WarmUpRuntime(kernel, control, sizes[0]);
        foreach (int bytes in sizes)
        {
            kernel.Prepare(bytes);
            int repetitions = ChooseRepetitions(kernel, control, bytes, previous, options.Seconds);
            previous = repetitions;

            comm.Barrier();
            kernel.Time(Repetitions.Warmup(repetitions));
            double perCall = kernel.Time(repetitions);
            var failure = kernel.Verify();

            var times = control.Gather([perCall * 1e6]);
            CheckVerdict(control, failure, $"bench {benchmark.Name()}: wrong result at {bytes} bytes");
            if (times == null) continue;
            var row = new SizeResult(bytes, repetitions, times);
            results.Add(row);
            onResult?.Invoke(row);
        }
        return comm.Rank == 0 ? new MicroBenchmarkReport(benchmark, options, kernel.Processes, comm.Size, ranks!, results) : null;
    }

    /// <summary>Runs the benchmark untimed before any measurement. IMB's warm-up is a tenth of the
    /// repetitions, which for a C program suffices; a .NET rank first runs unoptimised code and
    /// recompiles its hot methods on a background thread after they have run a while (tiered JIT).
    /// That thread competes with the ranks for the cores, so a recompilation during a timed size
    /// shows as a spike of tens of microseconds there. Warm up until every rank's JIT has been quiet
    /// for a while (no method compiled), at least <see cref="RuntimeWarmup"/>, at most
    /// <see cref="MaxRuntimeWarmup"/>.</summary>
    private static void WarmUpRuntime(Kernel kernel, ControlChannel control, int bytes)
    {
        kernel.Prepare(bytes);
        long start = System.Diagnostics.Stopwatch.GetTimestamp(), quietSince = start;
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        bool more = true;
        while (more)
        {
            kernel.Time(100);
            long now = System.Diagnostics.Stopwatch.GetTimestamp(), count = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (count != compiled) (compiled, quietSince) = (count, now);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start, now);
            bool busy = elapsed < (_runtimeWarm ? KernelWarmup : RuntimeWarmup) || System.Diagnostics.Stopwatch.GetElapsedTime(quietSince, now) < QuietJit;
            // Every rank must be warm, and all must stop together: the ranks vote, the slowest decides.
            more = control.Max(busy && elapsed < MaxRuntimeWarmup ? 1 : 0) > 0;
        }
        _runtimeWarm = true;
    }

    /// <summary>The shortest warm-up (the JIT promotes methods after ~100 ms of calls).</summary>
    private static readonly TimeSpan RuntimeWarmup = TimeSpan.FromMilliseconds(400);

    /// <summary>The shortest warm-up of a later benchmark of the same job: the messaging runtime is
    /// already compiled, only the new kernel's code is not, and the quiet-JIT rule below still waits
    /// for its recompilation.</summary>
    private static readonly TimeSpan KernelWarmup = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether this process already warmed up once (an earlier benchmark of the job).</summary>
    private static bool _runtimeWarm;

    /// <summary>The warm-up ends once no rank compiled a method for this long...</summary>
    private static readonly TimeSpan QuietJit = TimeSpan.FromMilliseconds(200);

    /// <summary>...or after this long, on a host too busy to let the JIT finish.</summary>
    private static readonly TimeSpan MaxRuntimeWarmup = TimeSpan.FromSeconds(3);

    /// <summary>pingpong --stats: the one-way latency of each of many round trips of one size;
    /// returns the statistics on rank 0 (null elsewhere).</summary>
    public static LatencyReport? MeasureLatency(Communicator comm, MicroBenchmarkOptions options)
    {
        if (options.Validate(comm.Size) is { } problem) throw new ArgumentException(problem, nameof(options));
        var control = new ControlChannel(comm);
        var ranks = GatherRankInfo(comm, control);
        var kernel = new PingPongKernel(comm);
        kernel.Prepare(options.StatsBytes);
        int warmup = Math.Min(LatencyWarmup, options.StatsRounds);
        var latencies = kernel.TimeEachRound(options.StatsRounds, warmup);
        CheckVerdict(control, kernel.Verify(), $"bench pingpong --stats: wrong result at {options.StatsBytes} bytes");
        return comm.Rank == 0
            ? new LatencyReport(options, kernel.Processes, comm.Size, warmup, ranks!, LatencyStatistics.Of(latencies))
            : null;
    }

    /// <summary>Warm-up round trips of a statistics run (the paper's pingpong_lat uses 10000).</summary>
    public const int LatencyWarmup = 10_000;

    /// <summary>IMB's dynamic policy: time one call, then a run of about a second (or --time) to
    /// estimate the time per call, the slowest rank deciding; cap the repetitions by --time.</summary>
    private static int ChooseRepetitions(Kernel kernel, ControlChannel control, int bytes, int previous, double seconds)
    {
        int selected = Repetitions.Default(bytes);
        double estimate = control.Max(kernel.Time(1));
        int probe = control.Broadcast(Repetitions.Probe(selected, estimate, seconds));
        if (probe > 1) estimate = control.Max(kernel.Time(probe));
        return control.Broadcast(Repetitions.Capped(selected, previous, estimate, seconds));
    }

    /// <summary>Collects every rank's check; if any failed, every rank throws with rank 0's account.</summary>
    private static void CheckVerdict(ControlChannel control, string? failure, string what)
    {
        var failures = control.GatherText(failure ?? "");
        string verdict = "";
        if (failures != null)
        {
            int rank = Array.FindIndex(failures, f => f.Length > 0);
            if (rank >= 0) verdict = $"{what} on rank {rank}: {failures[rank]}";
        }
        verdict = control.BroadcastText(verdict);
        if (verdict.Length > 0) throw new VerificationFailedException(verdict);
    }

    private static RankInfo[]? GatherRankInfo(Communicator comm, ControlChannel control)
    {
        var channels = Enumerable.Range(0, comm.Size).Select(comm.ChannelTo);
        var mine = $"{Environment.MachineName}\n{Environment.ProcessId}\n{string.Join(',', channels)}";
        var all = control.GatherText(mine);
        return all?.Select((text, rank) =>
        {
            var lines = text.Split('\n');
            return new RankInfo(rank, lines[0], int.Parse(lines[1]), lines[2].Split(','));
        }).ToArray();
    }
}
