using System.Runtime.InteropServices;
using Cosched.Launch;

namespace Cosched.Cli.Commands;

/// <summary>Ctrl-C, kill or a closed terminal (SIGINT, SIGTERM, SIGHUP) during a long command: the
/// default action, which would end the process with its runs half done, is cancelled; instead the
/// token is cancelled (the run in progress is ended, its launcher removes its VMs) and the command
/// stops with what it has.</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations;

    public Interruption() =>
        _registrations = [.. Signals.Ending.Select(s => PosixSignalRegistration.Create(s, context =>
        {
            context.Cancel = true;
            Signal ??= context.Signal;
            _cancel.Cancel();
        }))];

    public CancellationToken Token => _cancel.Token;

    /// <summary>The first signal received; null while none came.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The shell's exit status for a process ended by <paramref name="signal"/>: 128 + its number.</summary>
    public static int ExitCode(PosixSignal signal) => 128 + Signals.Number(signal);

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
