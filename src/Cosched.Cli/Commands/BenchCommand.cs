using System.CommandLine;
using Cosched.Launch;
using Cosched.Messaging;
using Cosched.Workloads.MicroBenchmarks;

namespace Cosched.Cli.Commands;

/// <summary>`cosched bench BENCHMARK... -n N [...]`: the IMB-style micro-benchmarks. Started by a user,
/// it checks the arguments and launches N ranks of this same command line; inside a rank (the
/// launcher set COSCHED_RANK) it runs the benchmarks one after the other on Communicator.World, as
/// IMB-MPI1 runs the ones it is given, and rank 0 prints.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var benchmarks = new Argument<string[]>("benchmark")
        {
            Description = $"what to measure, one or more (also comma-separated), run in this order in one job: {string.Join(", ", MicroBenchmarks.Names)}",
            Arity = ArgumentArity.OneOrMore,
        };
        var job = new JobOptions(rankProgram: true);
        var msglog = new Option<string>("--msglog")
        {
            Description = "message sizes 0 and 2^MIN .. 2^MAX bytes, as IMB's -msglog",
            HelpName = "MIN:MAX",
            DefaultValueFactory = _ => "0:22",
        };
        var time = new Option<double>("--time")
        {
            Description = "seconds one message size may take at most, as IMB's -time",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 10,
        };
        var format = new Option<string>("--format")
        {
            Description = "output: imb (Intel MPI Benchmarks' tables), json or csv",
            DefaultValueFactory = _ => "imb",
        };
        var stats = new Option<bool>("--stats")
        {
            Description = "pingpong only: latency statistics (min, quartiles, max, mean, deviation) of many round trips of one size",
        };
        var size = new Option<int>("--size")
        {
            Description = "message size in bytes for --stats",
            HelpName = "BYTES",
            DefaultValueFactory = _ => 8,
        };
        var timeSeries = new Option<bool>("--timeseries")
        {
            Description = "pingpong only: the latency of every 20 ms window over --time seconds, with the channel (a move shows as a step)",
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "timed round trips for --stats",
            DefaultValueFactory = _ => 100_000,
        };
        var algorithms = new Option<string[]>("--algorithm")
        {
            Description = "force a collective's algorithm, e.g. allreduce=ring (repeatable)",
            HelpName = "NAME=ALG",
            DefaultValueFactory = _ => [],
        };

        var command = new Command("bench", "run IMB-style micro-benchmarks on N ranks, one after the other in one job")
        {
            benchmarks, msglog, time, format, stats, size, rounds, algorithms, timeSeries,
        };
        job.AddTo(command);
        command.SetAction(result =>
        {
            // A benchmark named twice runs once, where it was first named: a second sweep in the same
            // job would only repeat the first.
            var which = new List<MicroBenchmark>();
            foreach (var name in (result.GetValue(benchmarks) ?? []).SelectMany(names => names.Split(',', StringSplitOptions.TrimEntries)))
            {
                if (!MicroBenchmarks.TryParse(name, out var one))
                    throw new UsageException($"unknown benchmark '{name}' (expected one of: {string.Join(", ", MicroBenchmarks.Names)})");
                if (!which.Contains(one)) which.Add(one);
            }
            var (n, policy, vmChoice) = job.Check(result);
            if (!MicroBenchmarkOptions.TryParseMessageLog(result.GetValue(msglog), out int minLog, out int maxLog))
                throw new UsageException($"--msglog wants MIN:MAX, two whole numbers (got '{result.GetValue(msglog)}')");
            if (!OutputFormats.TryParse(result.GetValue(format), out var output))
                throw new UsageException($"unknown format '{result.GetValue(format)}' (expected one of: {string.Join(", ", OutputFormats.Names)})");
            bool wantStats = result.GetValue(stats);
            bool wantSeries = result.GetValue(timeSeries);
            if (!wantStats && result.GetResult(rounds) is { Implicit: false })
                throw new UsageException("--rounds applies only with --stats");
            if (!wantStats && !wantSeries && result.GetResult(size) is { Implicit: false })
                throw new UsageException("--size applies only with --stats or --timeseries");
            foreach (var assignment in result.GetValue(algorithms) ?? [])
            {
                try
                {
                    CollectiveAlgorithms.Override(assignment);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException($"--algorithm {assignment}: {FirstLine(e.Message)}");
                }
            }
            // What is forced, by --algorithm or by COSCHED_<COLLECTIVE>, goes into the report.
            var forced = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var collective in CollectiveAlgorithms.Collectives)
            {
                string algorithm;
                try
                {
                    algorithm = CollectiveAlgorithms.Current(collective);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException(FirstLine(e.Message));
                }
                if (algorithm != CollectiveAlgorithms.Auto) forced[collective] = algorithm;
            }

            var options = new MicroBenchmarkOptions(which)
            {
                MinLog = minLog,
                MaxLog = maxLog,
                Seconds = result.GetValue(time),
                Format = output,
                Channels = policy.Name(),
                Stats = wantStats,
                TimeSeries = wantSeries,
                StatsBytes = result.GetValue(size),
                StatsRounds = result.GetValue(rounds),
                Algorithms = forced,
            };
            if (options.Validate(n) is { } problem) throw new UsageException(problem);

            if (job.InsideJob)
                return MicroBenchmarkRunner.Run(Communicator.World, options, Console.Out, Console.Error);

            // An IMB parser skips '#' lines, so the imb report itself can say that its VMs are emulated.
            if (vmChoice.Vms > 0 && output == OutputFormat.Imb && Cosched.Domains.VmKinds.Resolve(vmChoice.Kind) == Cosched.Domains.VmKind.Process)
                Console.WriteLine($"# Cosched: {vmChoice.Vms} VMs of the process provider, an emulation (ranks grouped, not isolated)");

            // The ranks run this very command line again; they parse the same arguments.
            var arguments = result.Tokens.Select(token => token.Value);
            return JobLauncher.Run(vmChoice.ApplyTo(new LaunchOptions(n, [.. SelfCommand.Current(), .. arguments]) { Policy = policy, ClockFromTimedPhase = true }));
        });
        return command;
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; a user needs only the sentence.</summary>
    private static string FirstLine(string message)
    {
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
