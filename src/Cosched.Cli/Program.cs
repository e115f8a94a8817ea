using System.CommandLine;
using System.CommandLine.Help;
using Cosched.Cli;
using Cosched.Cli.Commands;
using Cosched.Cli.Commands.Schedule;

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

return CliEntry.Run(root, args);
