using Cosched.Study.Running;

namespace Cosched.Scheduling.Profiling;

/// <summary>Keeps a command running on its cores for as long as the measured application runs:
/// restarted whenever it ends early, ended (SIGTERM, so a launcher removes what it made) when
/// <see cref="Stop"/> is called, and waited for, so nothing is left behind.</summary>
public sealed class BesideLoop : IDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task<List<ChildProcess.Result>> loop;

    /// <param name="cancel">the profile's own interruption: it ends the loop too.</param>
    public BesideLoop(IReadOnlyList<string> command, CancellationToken cancel)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var token = stop.Token;
        loop = Task.Run(() =>
        {
            var results = new List<ChildProcess.Result>();
            while (!token.IsCancellationRequested)
            {
                var result = ChildProcess.Run(command, TimeSpan.FromMinutes(30), cancel: token);
                results.Add(result);
                // A command that cannot start its run at all must not spin: the measurement beside it is void.
                if (!result.Interrupted && result.ExitCode != 0) break;
            }
            return results;
        });
    }

    /// <summary>Ends the command and returns every run of it (the last one interrupted; one that
    /// failed on its own, not interrupted with a non-zero exit, made the loop give up).</summary>
    public List<ChildProcess.Result> Stop()
    {
        stop.Cancel();
        return loop.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (!loop.IsCompleted) Stop();
        stop.Dispose();
    }
}
