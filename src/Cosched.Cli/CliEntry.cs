using System.CommandLine;
using Cosched.Messaging;

namespace Cosched.Cli;

/// <summary>What every `cosched` entry point does with its command tree: one-line usage errors
/// (exit 2), one-line runtime errors (exit 1), never a stack trace. Shared by the full CLI and the
/// ahead-of-time compiled `cosched run` (src/Cosched.Cli.Run), so both answer alike.</summary>
public static class CliEntry
{
    public static int Run(Command root, string[] args)
    {
        // Open MPI gives its ranks a pseudo-terminal: .NET's Console would set the terminal's keypad
        // mode on it (ESC[?1h ESC=) in front of the rank's first line. A rank writes plain streams instead.
        if (Environment.GetEnvironmentVariable("PMIX_RANK") != null && Environment.GetEnvironmentVariable(JobSettings.RankVariable) == null)
        {
            static StreamWriter Plain(int fd) => new(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, 1)) { AutoFlush = true };
            Console.SetOut(Plain(1));
            Console.SetError(Plain(2));
        }

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
    }
}
