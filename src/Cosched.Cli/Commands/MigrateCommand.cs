using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using Cosched.Launch;

namespace Cosched.Cli.Commands;

/// <summary>`cosched migrate JOB --vm V --to-host H`: moves a VM of a running job through its
/// launcher's control socket and prints the move's phases once it is complete.</summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "the job's id (see 'cosched jobs')" };
        var vm = new Option<int>("--vm") { Description = "the VM to move", Required = true, HelpName = "V" };
        var host = new Option<int>("--to-host") { Description = "the host to move it to", Required = true, HelpName = "H" };
        var format = new Option<string>("--format") { Description = "text (default) or json (the move's record)", DefaultValueFactory = _ => "text" };
        var command = new Command("migrate", "move a VM of a running job to another host; returns when the move is complete, with its phases")
        {
            job, vm, host, format,
        };
        command.SetAction(result =>
        {
            var id = result.GetValue(job)!;
            var json = result.GetValue(format) switch
            {
                "json" => true,
                "text" => false,
                var other => throw new UsageException($"unknown format '{other}' (expected one of: text, json)"),
            };
            var entry = JobRegistry.Find(id) ?? throw new UsageException($"no running job '{id}' (see 'cosched jobs')");
            string answer;
            try
            {
                answer = ControlServer.Request(entry.ControlSocket, entry.Secret, $"{ControlServer.Migrate} {result.GetValue(vm)} {result.GetValue(host)}");
            }
            catch (SocketException)
            {
                throw new UsageException($"job '{id}' has finished");
            }
            var (word, rest) = answer.IndexOf(' ') is int space and > 0 ? (answer[..space], answer[(space + 1)..]) : (answer, "");
            switch (word)
            {
                case ControlServer.Ok:
                    var record = JsonSerializer.Deserialize(rest, MoveRecordJsonContext.Default.MoveRecord)!;
                    Console.WriteLine(json ? rest : record.Describe());
                    return 0;
                case ControlServer.Late:
                    Console.Error.WriteLine($"cosched: {rest}");
                    return 1;
                default:
                    throw new UsageException(rest.Length > 0 ? rest : $"job '{id}' gave no answer");
            }
        });
        return command;
    }
}
