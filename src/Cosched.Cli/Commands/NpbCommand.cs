using System.CommandLine;
using System.Globalization;
using Cosched.Launch;
using Cosched.Messaging;
using Cosched.Workloads.Npb;

namespace Cosched.Cli.Commands;

/// <summary>`cosched npb KERNEL --class C -n N [...]`: a NAS Parallel Benchmarks kernel. Started by
/// a user, it checks the kernel's rules and the host's memory, then launches N ranks of this same
/// command line; inside a rank it runs the kernel and rank 0 prints NPB's report.</summary>
public static class NpbCommand
{
    public static Command Create()
    {
        var kernel = new Argument<string>("kernel") { Description = "the kernel: ep, cg, ft, mg or is" };
        var problemClass = new Option<string>("--class")
        {
            Description = "problem class: S, W, A, B or C",
            DefaultValueFactory = _ => "S",
        };
        var format = new Option<string>("--format")
        {
            Description = "output: text (NPB's report) or json",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var job = new JobOptions(rankProgram: true);
        var command = new Command("npb", "run a NAS Parallel Benchmarks kernel on N ranks and verify its result")
        {
            kernel, problemClass, format,
        };
        job.AddTo(command);
        command.SetAction(result =>
        {
            var which = NpbKernels.Find(result.GetValue(kernel))
                ?? throw new UsageException($"unknown NPB kernel '{result.GetValue(kernel)}' (expected one of: {string.Join(", ", NpbKernels.Names)})");
            if (!NpbClasses.TryParse(result.GetValue(problemClass), out var size))
                throw new UsageException($"unknown class '{result.GetValue(problemClass)}' (expected one of: {string.Join(", ", NpbClasses.Names)})");
            var (n, policy, vmChoice) = job.Check(result);
            if (which.RankCountProblem(size, n) is { } rule)
                throw new UsageException($"{which.Name} class {size} cannot run on {n} ranks: {rule}");
            bool json = result.GetValue(format) == "json";

            if (job.InsideJob)
                return RunRank(which, size, json);

            CheckMemory(which, size, n, json);
            var arguments = result.Tokens.Select(token => token.Value);
            return JobLauncher.Run(vmChoice.ApplyTo(new LaunchOptions(n, [.. SelfCommand.Current(), .. arguments]) { Policy = policy, ClockFromTimedPhase = true }));
        });
        return command;
    }

    private static int RunRank(INpbKernel kernel, NpbClass size, bool json)
    {
        var world = Communicator.World;
        if (world.Rank == 0 && !json)
            Console.WriteLine($"\n\n NAS Parallel Benchmarks 3.4 (Cosched) -- {kernel.Name.ToUpperInvariant()} Benchmark\n");
        var outcome = kernel.Run(world, size);
        if (world.Rank == 0)
        {
            if (json) NpbReport.WriteJson(Console.Out, outcome);
            else NpbReport.WriteText(Console.Out, outcome);
        }
        Runtime.Shutdown();
        return outcome.Verified ? 0 : 1;
    }

    /// <summary>Says what the class needs and refuses, before any rank allocates, when the host's
    /// available memory cannot hold it.</summary>
    private static void CheckMemory(INpbKernel kernel, NpbClass size, int ranks, bool json)
    {
        long needed = kernel.BytesPerRank(size, ranks) * ranks;
        long available = AvailableBytes();
        string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB";
        if (available > 0 && needed > available * 9 / 10)
            throw new UsageException($"{kernel.Name} class {size} on {ranks} ranks needs about {Gib(needed)} of memory; this host has {Gib(available)} available");
        if (!json && needed >= 1L << 30)
            Console.Error.WriteLine($"cosched: {kernel.Name} class {size} on {ranks} ranks needs about {Gib(needed)} of memory ({Gib(available)} available)");
    }

    /// <summary>MemAvailable from /proc/meminfo, or 0 when it cannot be read.</summary>
    private static long AvailableBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException) { }
        return 0;
    }
}
