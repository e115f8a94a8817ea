using System.CommandLine;
using Cosched.Study.Report;
using Cosched.Study.Store;

namespace Cosched.Cli.Commands;

/// <summary>`cosched report`: writes a study's report again from its database, or exports every raw
/// measurement as CSV (--csv, to stdout or a file).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "the study's directory", HelpName = "DIR", DefaultValueFactory = _ => StudyCommand.DefaultOut };
        var csv = new Option<string?>("--csv")
        {
            Description = "export every measurement as CSV, to FILE or (without FILE) to stdout",
            HelpName = "FILE",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("report", "write a study's report again from its database, or export it as CSV") { outDir, csv };
        command.SetAction(result =>
        {
            string directory = result.GetValue(outDir) ?? StudyCommand.DefaultOut;
            using var store = ResultsStore.OpenExisting(directory)
                ?? throw new UsageException($"no study in '{directory}' (no {ResultsStore.FileName}; run 'cosched study --out {directory}' first)");
            if (result.GetResult(csv) is { } csvResult)
            {
                string? file = result.GetValue(csv);
                if (string.IsNullOrEmpty(file))
                    CsvExport.Write(store, Console.Out);
                else
                {
                    using var writer = new StreamWriter(file);
                    CsvExport.Write(store, writer);
                    Console.Error.WriteLine($"cosched report: wrote {file}");
                }
                return 0;
            }
            var written = ReportWriter.Write(directory, store);
            Console.WriteLine($"cosched report: {written.Html} and {written.Markdown} ({written.Plots.Count} plots)");
            return 0;
        });
        return command;
    }
}
