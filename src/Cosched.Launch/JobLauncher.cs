using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cosched.Messaging;
using Cosched.Messaging.Transports;

namespace Cosched.Launch;

/// <summary>Starts a job's ranks on this host, runs its bootstrap, forwards output, and tears the
/// whole job down when one rank fails, on Ctrl-C, on SIGTERM or at its time limit.</summary>
public static class JobLauncher
{
    /// <summary>How long a rank gets between SIGTERM and SIGKILL when the job is torn down.</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the job; returns 0, the first failing rank's exit code, or 128+signal when the
    /// launcher was interrupted. Errors are reported on stderr as one line each.</summary>
    public static int Run(LaunchOptions options)
    {
        if (options.Ranks < 1) throw new ArgumentOutOfRangeException(nameof(options), "a job needs at least one rank");
        if (options.Command.Count == 0) throw new ArgumentException("no program to run");
        using var job = new RunningJob(options);
        return job.Run();
    }

    private sealed class RunningJob : IDisposable
    {
        private readonly LaunchOptions _options;
        private readonly string _id = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        private readonly string _runDirectory;
        private readonly string? _segmentPath;
        private readonly BlockingCollection<(int Rank, int Code)> _events = new();
        private readonly Process?[] _ranks;
        private readonly List<PosixSignalRegistration> _signals = new();
        private BootstrapServer? _bootstrap;
        private int _interruptedBy;

        public RunningJob(LaunchOptions options)
        {
            _options = options;
            _ranks = new Process?[options.Ranks];
            _runDirectory = Path.Combine(Path.GetTempPath(), $"cosched-{_id}");
            Directory.CreateDirectory(_runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (options.Ranks > 1 && options.Policy != ChannelPolicy.Network)
                _segmentPath = $"/dev/shm/cosched-{_id}";
        }

        public int Run()
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
                _signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    _interruptedBy = signal == PosixSignal.SIGINT ? Signals.SIGINT : Signals.SIGTERM;
                    _events.Add((-1, 0));
                }));

            if (_segmentPath != null)
                ShmSegment.Create(_segmentPath, _options.Ranks, Tuning()).Dispose();
            _bootstrap = new BootstrapServer(Path.Combine(_runDirectory, "bootstrap.sock"), _secret, _options.Ranks);
            // Every rank has mapped the segment and holds its bootstrap connection once all have
            // joined: unlink both files now, so nothing is left even if the launcher itself is killed.
            _bootstrap.AllRanksJoined += RemoveFiles;

            var cores = CoreBinding.AllowedCores();
            bool bind = _options.BindTo == BindTo.Core || (_options.BindTo == BindTo.Auto && _options.Ranks <= cores.Length);
            for (int rank = 0; rank < _options.Ranks; rank++)
            {
                try
                {
                    int r = rank;
                    _ranks[rank] = CoreBinding.StartOn(bind ? cores[rank % cores.Length] : null, () => StartRank(r));
                }
                catch (Win32Exception e)
                {
                    Console.Error.WriteLine($"cosched: cannot start '{_options.Command[0]}': {e.Message}");
                    return 2;
                }
            }
            return Supervise();
        }

        private static int Tuning() =>
            int.TryParse(Environment.GetEnvironmentVariable("COSCHED_SHM_RING_KIB"), out int kib) && kib > 0 ? kib * 1024 : ShmSegment.DefaultRingBytes;

        private Process StartRank(int rank)
        {
            var info = new ProcessStartInfo(_options.Command[0])
            {
                UseShellExecute = false,
                RedirectStandardOutput = _options.TagOutput,
                RedirectStandardError = _options.TagOutput,
            };
            foreach (var argument in _options.Command.Skip(1)) info.ArgumentList.Add(argument);
            var environment = info.Environment;
            foreach (var (key, value) in _options.Environment) environment[key] = value;
            environment[JobSettings.JobVariable] = _id;
            environment[JobSettings.RankVariable] = rank.ToString();
            environment[JobSettings.SizeVariable] = _options.Ranks.ToString();
            environment[JobSettings.SecretVariable] = _secret;
            environment[JobSettings.ChannelsVariable] = _options.Policy.Name();
            environment["COSCHED_HOST_CORES"] = Environment.ProcessorCount.ToString();
            environment[JobSettings.BootstrapVariable] = _bootstrap!.Path;
            if (_segmentPath != null) environment[JobSettings.SegmentVariable] = _segmentPath;

            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.Exited += (_, _) => _events.Add((rank, process.ExitCode));
            process.Start();
            if (_options.TagOutput)
            {
                Forward(process.StandardOutput, Console.Out, $"[{_id},{rank}]<stdout>: ");
                Forward(process.StandardError, Console.Error, $"[{_id},{rank}]<stderr>: ");
            }
            return process;
        }

        private static void Forward(StreamReader from, TextWriter to, string prefix) =>
            new Thread(() =>
            {
                while (from.ReadLine() is { } line)
                    lock (to) to.WriteLine(prefix + line);
            }) { IsBackground = true }.Start();

        private int Supervise()
        {
            int running = _options.Ranks;
            var limit = _options.Timeout ?? Timeout.InfiniteTimeSpan;
            var deadline = _options.Timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
            while (running > 0)
            {
                var wait = limit == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : Clamp(deadline - DateTime.UtcNow);
                if (!_events.TryTake(out var e, wait))
                {
                    Console.Error.WriteLine($"cosched: the job exceeded its time limit of {_options.Timeout!.Value.TotalSeconds:0.###} s; ending all ranks");
                    TearDown();
                    return 1;
                }
                if (e.Rank < 0)
                {
                    Console.Error.WriteLine($"cosched: {Signals.Name(_interruptedBy)} received; ending all ranks");
                    TearDown();
                    return 128 + _interruptedBy;
                }
                running--;
                if (e.Code != 0)
                {
                    Console.Error.WriteLine($"cosched: rank {e.Rank} {Signals.DescribeExit(e.Code)}; ending the job");
                    TearDown();
                    return e.Code;
                }
            }
            return 0;
        }

        private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

        /// <summary>SIGTERM to every live rank, then SIGKILL to what is left (and its children).</summary>
        private void TearDown()
        {
            foreach (var p in Live()) Signals.Kill(p.Id, Signals.SIGTERM);
            var deadline = DateTime.UtcNow + GracePeriod;
            foreach (var p in Live()) p.WaitForExit(Clamp(deadline - DateTime.UtcNow));
            foreach (var p in Live())
            {
                try { p.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }
            }
            foreach (var p in _ranks) p?.WaitForExit(TimeSpan.FromSeconds(2));
        }

        private IEnumerable<Process> Live()
        {
            foreach (var p in _ranks)
            {
                if (p == null) continue;
                bool exited;
                try { exited = p.HasExited; }
                catch (InvalidOperationException) { continue; }
                if (!exited) yield return p;
            }
        }

        private void RemoveFiles()
        {
            if (_segmentPath != null) File.Delete(_segmentPath);
            try { Directory.Delete(_runDirectory, recursive: true); }
            catch (IOException) { }
        }

        public void Dispose()
        {
            TearDown();
            foreach (var registration in _signals) registration.Dispose();
            _bootstrap?.Dispose();
            RemoveFiles();
            foreach (var p in _ranks) p?.Dispose();
        }
    }
}
