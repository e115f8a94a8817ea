using System.CommandLine;
using System.Globalization;
using Cosched.Scheduling.Traces;

namespace Cosched.Cli.Commands.Schedule;

/// <summary>`cosched schedule trace --jobs N --out FILE.swf`: writes a synthetic workload (Lublin and
/// Feitelson's model) in the Standard Workload Format, for the scheduler and simulator to replay.</summary>
public static class TraceCommand
{
    // Above twice the machine, queues only grow: no scheduler comparison is left to make there.
    private const double MaxLoad = 2;

    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "how many jobs", Required = true, HelpName = "N" };
        var output = new Option<string>("--out") { Description = "the trace file to write (replaced if it exists)", Required = true, HelpName = "FILE.swf" };
        var maxProcs = new Option<int>("--max-procs")
        {
            Description = "the largest job, and the machine size the load refers to",
            DefaultValueFactory = _ => 128,
            HelpName = "P",
        };
        var seed = new Option<int>("--seed") { Description = "random seed: the same seed gives the same trace", DefaultValueFactory = _ => 1, HelpName = "S" };
        var load = new Option<double>("--load")
        {
            Description = $"offered load on P processors, 0 < L <= {MaxLoad}, by rescaling arrival times; 0 keeps the model's own arrival rate",
            DefaultValueFactory = _ => 0,
            HelpName = "L",
        };
        var command = new Command("trace", "write a synthetic workload trace (Lublin-Feitelson model) in the Standard Workload Format")
        {
            jobs, output, maxProcs, seed, load,
        };
        command.SetAction(result =>
        {
            var count = result.GetValue(jobs);
            if (count < 1) throw new UsageException($"--jobs must be at least 1 (got {count})");
            var processors = result.GetValue(maxProcs);
            if (processors < 1) throw new UsageException($"--max-procs must be at least 1 (got {processors})");
            var offered = result.GetValue(load);
            if (!(offered >= 0 && offered <= MaxLoad))
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--load must be 0 (the model's own arrival rate) or above 0 and at most {MaxLoad} (got {offered})"));
            var file = result.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(file)) throw new UsageException("--out needs a file name");

            var trace = LublinFeitelson.Generate(count, processors, result.GetValue(seed), offered);
            try
            {
                SwfWriter.Write(trace, file);
            }
            catch (DirectoryNotFoundException)
            {
                throw new UsageException($"cannot write '{file}': its folder does not exist");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot write '{file}': {e.Message}");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cosched schedule trace: {count} jobs, max {processors} processors, offered load {trace.OfferedLoad(processors):0.000}, span {trace.SpanSeconds:0} s -> {file}"));
            return 0;
        });
        return command;
    }
}
