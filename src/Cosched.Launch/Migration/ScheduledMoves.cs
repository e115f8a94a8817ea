namespace Cosched.Launch;

/// <summary>Runs a --migrate schedule against a job's <see cref="Migrator"/> on a thread of its own:
/// each AT:VM:HOST at its time (counted from <see cref="StartClock"/>), or rotate:S (every S seconds
/// from the ranks' start, start-up included, the next VM moves to the next host: a stress, as
/// Charm++'s RotateLB). A move that fails or times out is reported and the schedule goes on.</summary>
internal sealed class ScheduledMoves : IDisposable
{
    private readonly ManualResetEventSlim _clock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public ScheduledMoves(MoveSchedule schedule, Migrator migrator, Action<string> log)
    {
        _thread = new Thread(() =>
        {
            try { Run(schedule, migrator, log); }
            catch (OperationCanceledException) { }
        }) { IsBackground = true, Name = "cosched-scheduled-moves" };
        _thread.Start();
    }

    /// <summary>Starts the schedule's clock (once: later calls do nothing).</summary>
    public void StartClock() => _clock.Set();

    private void Run(MoveSchedule schedule, Migrator migrator, Action<string> log)
    {
        if (schedule.RotateSeconds == null) _clock.Wait(_stop.Token);
        var start = DateTime.UtcNow;
        void Make(int vm, int host)
        {
            try { migrator.Move(vm, host); }
            catch (Exception e) when (e is MoveRefusedException or TimeoutException) { log($"cosched: --migrate: {e.Message}"); }
        }
        foreach (var step in schedule.Steps)
        {
            Sleep(start + TimeSpan.FromSeconds(step.At) - DateTime.UtcNow);
            Make(step.Vm, step.Host);
        }
        if (schedule.RotateSeconds is not { } every) return;
        for (int k = 0; ; k++)
        {
            Sleep(start + TimeSpan.FromSeconds(every * (k + 1)) - DateTime.UtcNow);
            var placement = migrator.Placement;
            int vm = k % placement.Vms;
            Make(vm, (placement.HostOfVm[vm] + 1) % placement.Hosts);
        }
    }

    private void Sleep(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero) _stop.Token.WaitHandle.WaitOne(wait);
        _stop.Token.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(3));
        _clock.Dispose();
    }
}
