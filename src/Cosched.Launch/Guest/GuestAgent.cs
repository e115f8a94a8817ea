using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cosched.Domains.Qemu;
using Cosched.Messaging.Transports;

namespace Cosched.Launch.Guest;

/// <summary>`cosched vm agent PORT`: the guest's end of the management channel, started by the
/// guest's init on its virtio-serial port. It starts ranks with the environment the launcher sends,
/// forwards their output, reports their exit codes, delivers signals, makes the VM's own segment in
/// the guest's /dev/shm and enables the ivshmem device once it appears (see <see cref="AgentProtocol"/>).</summary>
/// <remarks>The port is a character device that allows one open: it is read and written through one
/// file descriptor with read(2) and write(2). While no host end is connected (between QEMU's start
/// and the launcher's connect, and during a migration until the launcher reaches the destination
/// QEMU) read returns 0: the agent waits and reads again. Around a migration the launcher asks for
/// HOLD: what the agent has to say from then on waits in its queue until RESUME comes over the new
/// connection, so no line is written into a port nobody reads.</remarks>
public sealed partial class GuestAgent
{
    private readonly int _fd;
    private readonly BlockingCollection<string> _outgoing = new();
    private readonly ManualResetEventSlim _released = new(initialState: true);
    private readonly ConcurrentDictionary<int, Process> _ranks = new();
    private readonly ManualResetEventSlim _shutdown = new();

    private GuestAgent(int fd) => _fd = fd;

    /// <summary>Runs the agent on <paramref name="port"/> until the port fails (the guest is ended by
    /// the launcher quitting its QEMU); returns the exit code.</summary>
    public static int Run(string port)
    {
        int fd = Open(port, O_RDWR | O_CLOEXEC);
        if (fd < 0)
        {
            Console.Error.WriteLine($"cosched-guest: ERROR cannot open {port}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
            return 1;
        }
        var agent = new GuestAgent(fd);
        new Thread(agent.WriteLoop) { IsBackground = true, Name = "cosched-agent-writer" }.Start();
        new Thread(agent.ReadLoop) { IsBackground = true, Name = "cosched-agent-reader" }.Start();
        agent.Say($"{AgentProtocol.Hello} {Environment.MachineName}");
        agent._shutdown.Wait();
        agent.KillAll();
        agent._outgoing.CompleteAdding();
        return 0;
    }

    private void Say(string line) => _outgoing.Add(line);

    private void WriteLoop()
    {
        foreach (var line in _outgoing.GetConsumingEnumerable())
        {
            if (line == HoldMarker)
            {
                _released.Wait();
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            int done = 0;
            while (done < bytes.Length)
            {
                int n = WriteBytes(_fd, bytes, done, bytes.Length - done);
                if (n > 0) done += n;
                else if (Marshal.GetLastPInvokeError() is EINTR or EAGAIN) Thread.Sleep(1);
                else return; // the port is gone: the guest is shutting down
            }
        }
    }

    /// <summary>Written into the queue by HOLD: the writer stops there until RESUME.</summary>
    private const string HoldMarker = "\0hold";

    private void ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        while (!_shutdown.IsSet)
        {
            int n = ReadBytes(_fd, buffer, buffer.Length);
            if (n == 0)
            {
                Thread.Sleep(20); // no host end connected right now
                continue;
            }
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() is EINTR or EAGAIN) continue;
                Console.Error.WriteLine($"cosched-guest: ERROR reading the agent port: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
                _shutdown.Set();
                return;
            }
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    pending.Add(buffer[i]);
                    continue;
                }
                var line = Encoding.UTF8.GetString(pending.ToArray());
                pending.Clear();
                try { Handle(line.Split(' ')); }
                catch (Exception e) when (e is FormatException or JsonException)
                {
                    Console.Error.WriteLine($"cosched-guest: ignoring a malformed request: {e.Message}");
                }
            }
        }
    }

    private void Handle(string[] words)
    {
        switch (words)
        {
            case [AgentProtocol.Start, var rank, var payload]:
                Start(int.Parse(rank), JsonSerializer.Deserialize(Convert.FromBase64String(payload), GuestCommandJson.Default.GuestCommand)!);
                break;
            case [AgentProtocol.Signal, var rank, var signal]:
                Signal(int.Parse(rank), int.Parse(signal));
                break;
            case [AgentProtocol.Segment, var id, var path, var ranks, var ring]:
                Answer(id, () => ShmSegment.Create(path, int.Parse(ranks), int.Parse(ring)).Dispose());
                break;
            case [AgentProtocol.Device, var id, var directory]:
                Answer(id, () => EnableDevice(directory));
                break;
            case [AgentProtocol.Hold, var id]:
                _released.Reset();
                Say($"{AgentProtocol.Ready} {id}");
                Say(HoldMarker);
                break;
            case [AgentProtocol.Resume]:
                _released.Set();
                break;
            default:
                Console.Error.WriteLine($"cosched-guest: ignoring an unknown request '{string.Join(' ', words)}'");
                break;
        }
    }

    private void Answer(string id, Action action)
    {
        try
        {
            action();
            Say($"{AgentProtocol.Ready} {id}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Cosched.Messaging.MessagingException or TimeoutException or ArgumentException)
        {
            Say($"{AgentProtocol.Failed} {id} {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>A hot-plugged ivshmem device: wait for its BAR file, then enable it so the BAR can be mapped.</summary>
    private static void EnableDevice(string directory)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(Path.Combine(directory, "resource2")))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the PCI device {directory} did not appear within 20 s");
            Thread.Sleep(10);
        }
        File.WriteAllText(Path.Combine(directory, "enable"), "1");
    }

    private void Start(int rank, GuestCommand command)
    {
        var info = new ProcessStartInfo(command.Argv[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.Exists(command.Cwd) ? command.Cwd : "/",
        };
        foreach (var argument in command.Argv.Skip(1)) info.ArgumentList.Add(argument);
        foreach (var (key, value) in command.Env) info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) Say($"{AgentProtocol.Out} {rank} {Base64(e.Data)}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) Say($"{AgentProtocol.Err} {rank} {Base64(e.Data)}"); };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Say($"{AgentProtocol.Err} {rank} {Base64($"cosched: cannot start '{command.Argv[0]}' in the guest: {e.Message}")}");
            Say($"{AgentProtocol.Exit} {rank} 127");
            return;
        }
        _ranks[rank] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Say($"{AgentProtocol.Started} {rank} {process.Id}");
        new Thread(() =>
        {
            process.WaitForExit(); // also waits for the end of its output, so EXIT comes after its last line
            Say($"{AgentProtocol.Exit} {rank} {process.ExitCode}");
        }) { IsBackground = true, Name = $"cosched-agent-rank{rank}" }.Start();
    }

    private void Signal(int rank, int signal)
    {
        if (!_ranks.TryGetValue(rank, out var process)) return;
        try
        {
            if (process.HasExited) return;
            if (signal == Signals.SIGKILL) process.Kill(entireProcessTree: true);
            else Signals.Kill(process.Id, signal);
        }
        catch (InvalidOperationException) { } // it ended meanwhile
    }

    private void KillAll()
    {
        foreach (var rank in _ranks.Keys) Signal(rank, Signals.SIGKILL);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private const int O_RDWR = 2, O_CLOEXEC = 0x80000, EINTR = 4, EAGAIN = 11;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);

    private static unsafe int ReadBytes(int fd, byte[] buffer, int count)
    {
        fixed (byte* p = buffer) return (int)Read(fd, p, count);
    }

    private static unsafe int WriteBytes(int fd, byte[] buffer, int offset, int count)
    {
        fixed (byte* p = buffer) return (int)Write(fd, p + offset, count);
    }
}
