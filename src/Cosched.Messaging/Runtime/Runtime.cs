using Cosched.Messaging.Migration;
using Cosched.Messaging.Protocol;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

/// <summary>The process's membership in its job: joins on first use of <see cref="World"/>, leaves
/// with <see cref="Shutdown"/> (MPI_Finalize) (also called at process exit).</summary>
public static class Runtime
{
    private static readonly Lock Gate = new();
    private static Communicator? _world;
    private static RankSession? _session;

    /// <summary>The job's world communicator; the first access joins the job.</summary>
    public static Communicator World
    {
        get
        {
            if (_world != null) return _world;
            lock (Gate)
            {
                if (_world != null) return _world;
                JobSettings? job = null;
                IBootstrap? bootstrap = null;
                try
                {
                    switch (BootstrapChoice.FromEnvironment())
                    {
                        case BootstrapKind.Launcher:
                            job = JobSettings.FromLauncher(out var socketPath);
                            bootstrap = new SocketBootstrap(socketPath, job.Secret, job.Rank);
                            break;
                        case BootstrapKind.Pmix:
                            (job, bootstrap) = PmixBootstrap.Join(JobSettings.PolicyFromEnvironment(), Environment.GetEnvironmentVariable(JobSettings.BindVariable));
                            break;
                    }
                }
                catch (BootstrapException e) { ExitNotJoined(e); }
                _session = job == null ? RankSession.Alone() : RankSession.Join(job, bootstrap!);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
                _world = _session.World;
                if (job != null && Environment.GetEnvironmentVariable(JobSettings.ReportBindingsVariable) == "1")
                {
                    var world = _world;
                    ReportBindings(world, job, _session.Engine.Agent);
                    if (_session.Engine.Agent is { } agent) agent.Reselected = () => ReportBindings(world, job, agent);
                }
                return _world;
            }
        }
    }

    /// <summary>The moves of this job that have finished so far, one JSON record each (as the launcher
    /// reports them: vm, from, to, phase times); empty outside a launched job.</summary>
    public static IReadOnlyList<string> Migrations => _session?.Engine.Agent?.Moves ?? [];

    /// <summary>As MPI_Init under MPI_ERRORS_ARE_FATAL: a rank that cannot join the job srun or
    /// mpirun (or Cosched's launcher) started says why in one line and exits 1, rather than run on as a job of one or end in
    /// a stack trace of the user's program.</summary>
    private static void ExitNotJoined(BootstrapException e)
    {
        Console.Error.WriteLine($"cosched: {e.Message}");
        Environment.Exit(1);
    }

    /// <summary>Tells the launcher that the timed part of the program starts now: moves scheduled
    /// with --migrate AT count from here. Does nothing outside a launched job.</summary>
    public static void MarkTimedPhase() => (_session?.Engine.Agent)?.Link.Send($"{ControlWords.Phase} timed");

    /// <summary>One line on stderr with the transport this rank chose for each peer (--report-bindings);
    /// printed again after every move, so it stays true.</summary>
    private static void ReportBindings(Communicator world, JobSettings job, MigrationAgent? agent)
    {
        var vm = Environment.GetEnvironmentVariable("COSCHED_VM");
        var host = agent is { Host: >= 0 } ? agent.Host.ToString() : Environment.GetEnvironmentVariable(JobSettings.HostVariable);
        var where = (host, vm) switch
        {
            _ when job.Node != null => $"node {job.Node}",
            (null, null) => "host",
            (null, _) => $"vm {vm}",
            (_, null) => $"host {host}, native",
            _ => $"host {host}, vm {vm}",
        };
        var peers = string.Join(' ', Enumerable.Range(0, world.Size).Where(r => r != world.Rank).Select(r => $"{r}={world.RouteTo(r)}"));
        var emulated = Environment.GetEnvironmentVariable("COSCHED_VM_KIND") == "process" ? " (process provider: an emulation)" : "";
        Console.Error.WriteLine($"cosched: rank {world.Rank} on {where} (hostname {Environment.MachineName}){emulated} channels: {(peers.Length == 0 ? "none" : peers)}");
    }

    /// <summary>Ends the whole job from this rank: under PMIx the server (srun's step, mpirun) is
    /// asked to kill every rank; under Cosched's launcher the rank's exit does it. Returns, so the
    /// caller exits with <paramref name="code"/>.</summary>
    public static void AbortJob(int code, string message)
    {
        if (_session?.Bootstrap is PmixBootstrap pmix) pmix.Abort(code, message);
    }

    /// <summary>Leaves the job: pushes out what this rank still has to send, then closes its
    /// channels. Further use of the communicators fails. Unlike MPI_Finalize it does not wait for the
    /// other ranks, so a rank that exits early (even with an error) never hangs at exit.</summary>
    public static void Shutdown()
    {
        lock (Gate)
        {
            _session?.Dispose();
            _session = null;
        }
    }
}

/// <summary>One rank's live connection to its job: engine, world communicator, bootstrap link and
/// segment. In-process jobs hold several of these, one per thread.</summary>
internal sealed class RankSession : IDisposable
{
    public IBootstrap? Bootstrap { get; }

    public Engine Engine { get; }
    public Communicator World { get; }

    private RankSession(Engine engine, IBootstrap? bootstrap)
    {
        Engine = engine;
        Bootstrap = bootstrap;
        World = new Communicator(engine, 0, Enumerable.Range(0, engine.Size).ToArray());
    }

    public static RankSession Alone() => new(new Engine(0, 1, [null], new Waiter(default)), null);

    /// <param name="control">The launcher's command line to this rank (migration), if any; a
    /// bootstrap that is also a control link (the launcher's socket) serves as one.</param>
    public static RankSession Join(JobSettings job, IBootstrap bootstrap, IControlLink? control = null)
    {
        ShmSegment? segment = null, hostSegment = null;
        try
        {
            if (job.SegmentPath != null && job.Size > 1) segment = ShmSegment.Open(job.SegmentPath);
            // A rank that cannot see the host segment simply has no co-located peers beyond its VM.
            if (job.HostSegmentPath != null && job.Size > 1 && File.Exists(job.HostSegmentPath)) hostSegment = ShmSegment.Open(job.HostSegmentPath);
            var engine = Wireup.Start(job, bootstrap, segment, hostSegment);
            engine.Migratable = job.Migratable;
            if ((control ?? bootstrap as IControlLink) is { } link)
            {
                var agent = new MigrationAgent(engine, link) { Host = job.Host, Trace = job.TraceMoves };
                engine.Agent = agent;
                engine.Waiter.EnableWake();
                link.Arrived = () =>
                {
                    agent.Signal();
                    engine.Waiter.Wake();
                };
            }
            return new RankSession(engine, bootstrap);
        }
        catch
        {
            segment?.Dispose();
            hostSegment?.Dispose();
            bootstrap.Dispose();
            throw;
        }
        finally
        {
            // Every rank of the node has mapped it once the exchange is over (or the start failed).
            if (job.RemoveSegmentAfterWireup) File.Delete(job.SegmentPath!);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Engine.IsAborted) Engine.Drain(TimeSpan.FromSeconds(10));
            // The launcher must not wait in a move for a rank that answers nothing any more.
            Engine.Agent?.Link.Send(ControlWords.Left);
        }
        finally
        {
            Engine.Dispose();
            Bootstrap?.Dispose();
        }
    }
}
