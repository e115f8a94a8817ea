using System.CommandLine;
using System.CommandLine.Help;
using Cosched.Cli;
using Cosched.Cli.Commands;
using Cosched.Messaging;

// Not a RootCommand: it is named after the entry assembly (Cosched.Cli, run by ./cosched as
// `dotnet Cosched.Cli.dll`), and System.CommandLine 2.0.0 cannot rename it; help must name the
// command users type. Its help and version options are RootCommand's.
var root = new Command("cosched", "Cosched: MPI-style jobs in co-scheduled virtual machines")
{
    new HelpOption(),
    new VersionOption(),
    RunCommand.Create(),
    BenchCommand.Create(),
    NpbCommand.Create(),
    MpirunCommand.Create(),
    JobsCommand.Create(),
    MigrateCommand.Create(),
    CleanCommand.Create(),
    DoctorCommand.Create(),
    BlastCommand.Create(),
    StudyCommand.Create(),
    ReportCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    var command = parse.CommandResult.Command;
    var path = command == root ? "cosched" : $"cosched {command.Name}";
    // System.CommandLine's messages may span lines; a usage error is one line.
    var message = string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    Console.Error.WriteLine($"cosched: {message} (see '{path} --help')");
    return 2;
}
try
{
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine($"cosched: {e.Message}");
    return 2;
}
catch (MessagingException e)
{
    Console.Error.WriteLine($"cosched: {e.Message}");
    return 1;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("COSCHED_DEBUG") == null)
{
    Console.Error.WriteLine($"cosched: error: {e.Message}");
    return 1;
}
