using System.CommandLine;
using System.CommandLine.Help;
using Cosched.Cli;
using Cosched.Cli.Commands;

// The same `run` command as the full CLI's (its files are compiled in), under the same name, so
// that `cosched run --help`, its errors and its exit codes do not depend on which build answered.
var root = new Command("cosched", "Cosched: MPI-style jobs in co-scheduled virtual machines")
{
    new HelpOption(),
    new VersionOption(),
    RunCommand.Create(),
};
return CliEntry.Run(root, args);
