using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cosched.Domains;
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
        if (Placement.Validate(options.Ranks, options.Vms) is { } problem) throw new ArgumentException(problem);
        using var job = new RunningJob(options);
        try
        {
            return job.Run();
        }
        catch (DomainException e)
        {
            Console.Error.WriteLine($"cosched: {e.Message}");
            return 1;
        }
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
        private Placement? _placement;
        private VirtualMachines? _vms;
        private string? _hostSegmentPath;
        private readonly List<string> _segmentFiles = new();

        public RunningJob(LaunchOptions options)
        {
            _options = options;
            _ranks = new Process?[options.Ranks];
            _runDirectory = Path.Combine(Path.GetTempPath(), $"cosched-{_id}");
            Directory.CreateDirectory(_runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (options.Ranks > 1 && options.Policy != ChannelPolicy.Network && options.Vms == 0)
                _segmentPath = $"/dev/shm/cosched-{_id}";
            if (options.Ranks > 1 && options.Policy == ChannelPolicy.Locality && options.Vms > 0)
                _hostSegmentPath = $"/dev/shm/cosched-{_id}";
        }

        public int Run()
        {
            foreach (var signal in Signals.Ending)
                _signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    _interruptedBy = Signals.Number(signal);
                    _events.Add((-1, 0));
                }));

            if (_segmentPath != null)
                ShmSegment.Create(_segmentPath, _options.Ranks, Tuning()).Dispose();
            var cores = CoreBinding.AllowedCores();
            if (_options.Vms > 0) StartVms(cores);
            _bootstrap = new BootstrapServer(Path.Combine(_runDirectory, "bootstrap.sock"), _secret, _options.Ranks);
            // Every rank has mapped the segment and holds its bootstrap connection once all have
            // joined: unlink both files now, so nothing is left even if the launcher itself is killed.
            _bootstrap.AllRanksJoined += RemoveFiles;

            bool bind = _options.BindTo == BindTo.Core || (_options.BindTo == BindTo.Auto && _options.Ranks <= cores.Length);
            if (_options.ReportBindings) ReportPlacement(bind, cores);
            if (_options.LaunchReportPath is { } report)
                LaunchReport.Of("cosched", _id, _placement ?? Placement.Compute(_options.Ranks, 0, _options.Pin, cores), _vms,
                    _options.Pin, _options.Policy, cores.Length, bind).Write(report);
            for (int rank = 0; rank < _options.Ranks; rank++)
            {
                try
                {
                    int r = rank;
                    if (_placement is { } p)
                    {
                        // In a VM a rank runs on its own core, or (unbound) on any core of its VM.
                        _ranks[rank] = bind ? CoreBinding.StartOn(p.CoreOfRank[r], () => StartRank(r))
                            : _options.BindTo == BindTo.None ? StartRank(r)
                            : CoreBinding.StartOn(p.CoresOfVm[p.VmOfRank[r]], () => StartRank(r));
                        _vms!.Adopt(p.VmOfRank[r], _ranks[rank]!.Id);
                    }
                    else _ranks[rank] = CoreBinding.StartOn(bind ? cores[rank % cores.Length] : null, () => StartRank(r));
                }
                catch (Win32Exception e)
                {
                    Console.Error.WriteLine($"cosched: cannot start '{_options.Command[0]}': {e.Message}");
                    return 2;
                }
            }
            return Supervise();
        }

        /// <summary>Makes the VMs and their segments: the host segment first (each VM maps it when
        /// it starts), then one segment per VM with more than one rank, inside that VM.</summary>
        private void StartVms(int[] cores)
        {
            _placement = Placement.Compute(_options.Ranks, _options.Vms, _options.Pin, cores);
            if (_hostSegmentPath != null)
            {
                ShmSegment.Create(_hostSegmentPath, _options.Ranks, Tuning()).Dispose();
                _segmentFiles.Add(_hostSegmentPath);
            }
            _vms = VirtualMachines.Create(_options.VmKind, _id, _options.Vms, _hostSegmentPath, Environment.ProcessId, _placement.CoresOfVm);
            Console.Error.WriteLine($"cosched: job {_id}: {_vms.Describe()}");
            if (_vms.Warning is { } warning) Console.Error.WriteLine($"cosched: warning: {warning}");
            if (_options.Policy == ChannelPolicy.Network) return;
            for (int vm = 0; vm < _options.Vms; vm++)
            {
                if (_placement.RanksOf(vm).Count() < 2) continue;
                var path = _vms.VmSegmentOnHost(vm);
                ShmSegment.Create(path, _options.Ranks, Tuning()).Dispose();
                _segmentFiles.Add(path);
            }
        }

        private void ReportPlacement(bool bind, int[] cores)
        {
            var emulated = _vms is { IsEmulation: true } ? " (process provider: an emulation)" : "";
            for (int r = 0; r < _options.Ranks; r++)
            {
                string where, core;
                if (_placement is { } p)
                {
                    where = $"vm {p.VmOfRank[r]}";
                    core = bind ? $"core {p.CoreOfRank[r]}" : $"cores {string.Join(',', p.CoresOfVm[p.VmOfRank[r]])}";
                }
                else
                {
                    where = "host";
                    core = bind ? $"core {cores[r % cores.Length]}" : "unbound";
                }
                Console.Error.WriteLine($"cosched: rank {r} -> {where} -> {core}{emulated}");
            }
        }

        private static int Tuning() =>
            int.TryParse(Environment.GetEnvironmentVariable("COSCHED_SHM_RING_KIB"), out int kib) && kib > 0 ? kib * 1024 : ShmSegment.DefaultRingBytes;

        private Process StartRank(int rank)
        {
            int vm = _placement?.VmOfRank[rank] ?? -1;
            var command = _vms != null ? _vms.Wrap(vm, _options.Command) : _options.Command;
            var info = new ProcessStartInfo(command[0])
            {
                UseShellExecute = false,
                RedirectStandardOutput = _options.TagOutput,
                RedirectStandardError = _options.TagOutput,
            };
            foreach (var argument in command.Skip(1)) info.ArgumentList.Add(argument);
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
            if (_vms != null)
            {
                environment["COSCHED_VM"] = vm.ToString();
                environment["COSCHED_VM_KIND"] = _vms.Kind.Name();
                environment["COSCHED_HOST_RANKS"] = _options.Ranks.ToString(); // spin or yield: see Wireup
                environment[JobSettings.BindVariable] = _vms.BindAddress(vm);
                if (_options.Policy != ChannelPolicy.Network && _placement!.RanksOf(vm).Count() > 1)
                    environment[JobSettings.SegmentVariable] = _vms.VmSegmentInVm(vm);
                if (_vms.HostSegmentInVm is { } host) environment[JobSettings.HostSegmentVariable] = host;
            }
            if (_options.ReportBindings) environment[JobSettings.ReportBindingsVariable] = "1";

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
            foreach (var path in _segmentFiles)
            {
                try { File.Delete(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // its VM is already gone
            }
            try { Directory.Delete(_runDirectory, recursive: true); }
            catch (IOException) { }
        }

        public void Dispose()
        {
            TearDown();
            foreach (var registration in _signals) registration.Dispose();
            _bootstrap?.Dispose();
            RemoveFiles();
            _vms?.Dispose();
            foreach (var p in _ranks) p?.Dispose();
        }
    }
}
