using System.CommandLine;
using System.CommandLine.Help;
using Cosched.Cli;
using Cosched.Cli.Commands;
using Cosched.Cli.Commands.Schedule;
using Cosched.Messaging;

// Open MPI gives its ranks a pseudo-terminal: .NET's Console would set the terminal's keypad mode
// on it (ESC[?1h ESC=) in front of the rank's first line. A rank writes plain streams instead.
if (Environment.GetEnvironmentVariable("PMIX_RANK") != null && Environment.GetEnvironmentVariable(JobSettings.RankVariable) == null)
{
    static StreamWriter Plain(int fd) => new(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, 1)) { AutoFlush = true };
    Console.SetOut(Plain(1));
    Console.SetError(Plain(2));
}

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
    VmCommand.Create(),
    DoctorCommand.Create(),
    BlastCommand.Create(),
    StudyCommand.Create(),
    ReportCommand.Create(),
    ProfileCommand.Create(),
    ScheduleCommand.Create(),
};

// Under srun or mpirun every rank parses the same line: one of them says what is wrong with it.
bool speaks = Environment.GetEnvironmentVariable("PMIX_RANK") is null or "0" || Environment.GetEnvironmentVariable(JobSettings.RankVariable) != null;
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    var command = parse.CommandResult.Command;
    var path = command == root ? "cosched" : $"cosched {command.Name}";
    // System.CommandLine's messages may span lines; a usage error is one line.
    var message = string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    if (speaks) Console.Error.WriteLine($"cosched: {message} (see '{path} --help')");
    return 2;
}
try
{
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    if (speaks) Console.Error.WriteLine($"cosched: {e.Message}");
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
