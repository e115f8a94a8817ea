using System.CommandLine;
using Cosched.Launch;
using Cosched.Messaging;
using Cosched.Workloads.Blast;

namespace Cosched.Cli.Commands;

/// <summary>`cosched blast makedb|search`: a blastp-compatible protein search, parallel like
/// mpiBLAST. `search`, started by a user, checks its inputs and launches N ranks of the same
/// command line; inside a rank it runs its role on Communicator.World.</summary>
public static class BlastCommand
{
    public static Command Create() => new("blast", "protein search like NCBI blastp, parallel like mpiBLAST")
    {
        MakeDatabase(),
        Search(),
    };

    private static Command MakeDatabase()
    {
        var input = new Option<string>("--in") { Description = "protein FASTA file", Required = true, HelpName = "FASTA" };
        var output = new Option<string>("--out") { Description = "directory for the database", Required = true, HelpName = "DIR" };
        var fragments = new Option<int>("--fragments") { Description = "database fragments (units of parallel work)", DefaultValueFactory = _ => 4, HelpName = "F" };
        var command = new Command("makedb", "turn protein FASTA into a fragmented database") { input, output, fragments };
        command.SetAction(result =>
        {
            int f = result.GetValue(fragments);
            if (f < 1 || f > 999) throw new UsageException($"--fragments must be between 1 and 999 (got {f})");
            var sequences = ReadFasta(result.GetValue(input)!);
            var database = ProteinDatabase.Create(sequences, result.GetValue(output)!, f);
            Console.WriteLine($"{database.Sequences} sequences, {database.Residues} residues in {database.Fragments.Count} fragments: {database.Directory}");
            return 0;
        });
        return command;
    }

    private static Command Search()
    {
        var job = new JobOptions(rankProgram: true);
        var db = new Option<string>("--db") { Description = "database directory made by 'cosched blast makedb'", Required = true, HelpName = "DIR" };
        var query = new Option<string>("--query") { Description = "query proteins (FASTA)", Required = true, HelpName = "FASTA" };
        var evalue = new Option<double>("--evalue") { Description = "report hits with E-value at most this (blastp's -evalue)", DefaultValueFactory = _ => 10 };
        var maxTargets = new Option<int>("--max-target-seqs") { Description = "database sequences reported per query", DefaultValueFactory = _ => 500 };
        var output = new Option<string?>("--out") { Description = "write the tabular output here instead of standard output", HelpName = "FILE" };
        var partitions = new Option<int>("--partitions") { Description = "partitions of ranks, each with a master (0, the default: one per 8 ranks)", DefaultValueFactory = _ => 0 };
        var format = new Option<string>("--format")
        {
            Description = "output: tabular (BLAST's -outfmt 6) or json (a summary: size, seconds, a digest of the tabular output, which goes to --out)",
            DefaultValueFactory = _ => "tabular",
        };
        format.AcceptOnlyFromAmong("tabular", "json");
        var segment = new Option<int>("--segment") { Description = "queries the super-master hands a partition at a time (searched together, one scan of the database)", DefaultValueFactory = _ => 8 };
        var command = new Command("search", "search query proteins against a database on N ranks; prints BLAST's -outfmt 6")
        {
            db, query, evalue, maxTargets, output, partitions, segment, format,
        };
        job.AddTo(command);
        command.SetAction(result =>
        {
            var (n, policy, vmChoice) = job.Check(result);
            var options = new SearchOptions(result.GetValue(db)!, result.GetValue(query)!)
            {
                EValue = result.GetValue(evalue),
                MaxTargetSequences = result.GetValue(maxTargets),
                OutputPath = result.GetValue(output),
                Partitions = result.GetValue(partitions),
                SegmentSize = result.GetValue(segment),
                Json = result.GetValue(format) == "json",
            };
            if (options.Validate() is { } problem) throw new UsageException(problem);
            if (options.SegmentSize < 1) throw new UsageException($"--segment must be at least 1 (got {options.SegmentSize})");
            if (options.OutputPath != null && vmChoice.Vms > 0 && Domains.VmKinds.Resolve(vmChoice.Kind) == Domains.VmKind.Qemu)
                throw new UsageException("--out is written by rank 0, and a QEMU guest's files stay in the guest: leave --out out (the hits go to standard output) and redirect that");

            if (job.InputChecked)
                return BlastJob.Run(Communicator.World, options, Console.Out);

            // Bad input is the user's to fix: say so once, here, before any rank starts (under srun
            // or mpirun every rank checks, and rank 0 says it).
            try
            {
                ProteinDatabase.Open(options.DatabaseDirectory);
            }
            catch (FastaFormatException e)
            {
                throw new UsageException(e.Message);
            }
            ReadFasta(options.QueryPath);
            if (options.OutputPath != null && (!job.InsideJob || Communicator.World.Rank == 0))
            {
                try
                {
                    File.WriteAllText(options.OutputPath, "");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"--out {options.OutputPath}: {e.Message}");
                }
            }
            if (job.InsideJob)
                return BlastJob.Run(Communicator.World, options, Console.Out);
            var arguments = result.Tokens.Select(token => token.Value);
            return JobLauncher.Run(vmChoice.ApplyTo(new LaunchOptions(n, [.. SelfCommand.Current(), .. arguments]) { Policy = policy }));
        });
        return command;
    }

    private static List<ProteinSequence> ReadFasta(string path)
    {
        try
        {
            return FastaReader.Read(path);
        }
        catch (FastaFormatException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
