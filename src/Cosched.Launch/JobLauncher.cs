using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
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
        if (Placement.Validate(options.Ranks, options.Vms, options.Hosts, options.VmHosts) is { } problem) throw new ArgumentException(problem);
        if (options.Migrate?.Validate(options.Vms, options.Hosts) is { } bad) throw new ArgumentException(bad);
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
        private readonly string _id = JobIdentity.NewId();
        private readonly string _secret = JobIdentity.NewSecret();
        private readonly string _runDirectory;
        private readonly BlockingCollection<(int Rank, int Code)> _events = new();
        private readonly IRankProcess?[] _ranks;
        private readonly List<PosixSignalRegistration> _signals = new();
        /// <summary>Cancelled by Ctrl-C, SIGTERM or SIGHUP: a start still under way (guests booting) ends.</summary>
        private readonly CancellationTokenSource _starting = new();
        private BootstrapServer? _bootstrap;
        /// <summary>Where ranks reach the bootstrap: its socket path, or a tcp address for guests.</summary>
        private string _bootstrapAddress = "";
        private int _interruptedBy;
        private Placement _placement = null!;
        private VirtualMachines? _vms;
        /// <summary>Each host's segment: natively the one its ranks share, with VMs the host segment
        /// its VMs share (locality policy); null where there is none.</summary>
        private readonly string?[] _segmentOfHost;
        private readonly List<string> _segmentFiles = new();
        private readonly DateTime _started = DateTime.UtcNow;
        private Migrator? _migrator;
        private ScheduledMoves? _scheduled;
        private ControlServer? _control;
        private bool _bind;
        private int _timedPhaseSeen;

        /// <summary>VMs on more than one host: VMs may move, and ranks check their topology.</summary>
        private bool Migratable => _options.Vms > 0 && _options.Hosts > 1;

        public RunningJob(LaunchOptions options)
        {
            _options = options;
            _ranks = new IRankProcess?[options.Ranks];
            _runDirectory = Path.Combine(Path.GetTempPath(), $"cosched-{_id}");
            Directory.CreateDirectory(_runDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _segmentOfHost = new string?[options.Hosts];
            bool shared = options.Ranks > 1 && (options.Vms == 0 ? options.Policy != ChannelPolicy.Network : options.Policy == ChannelPolicy.Locality);
            if (shared)
                for (int h = 0; h < options.Hosts; h++)
                    _segmentOfHost[h] = options.Hosts == 1 ? $"/dev/shm/cosched-{_id}" : $"/dev/shm/cosched-{_id}-host{h}";
        }

        public int Run()
        {
            foreach (var signal in Signals.Ending)
                _signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    _interruptedBy = Signals.Number(signal);
                    _starting.Cancel();
                    _events.Add((-1, 0));
                }));

            foreach (var path in _segmentOfHost)
                if (path != null)
                {
                    ShmSegment.Create(path, _options.Ranks, Tuning()).Dispose();
                    _segmentFiles.Add(path);
                }
            var cores = CoreBinding.AllowedCores();
            _placement = Placement.Compute(_options.Ranks, _options.Vms, _options.Pin, cores, _options.Hosts, _options.VmHosts);
            if (_placement.HostsShareCores)
                Console.Error.WriteLine($"cosched: warning: {_options.Hosts} hosts on {cores.Length} cores: the hosts share cores");
            if (_options.Vms > 0)
            {
                try { StartVms(); }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"cosched: {Signals.Name(_interruptedBy)} received while the VMs started; ending the job");
                    return 128 + _interruptedBy;
                }
            }
            _bootstrap = new BootstrapServer(Path.Combine(_runDirectory, "bootstrap.sock"), _secret, _options.Ranks);
            // Guests with their own kernel see none of this host's files: they join over the job's network.
            _bootstrapAddress = _vms?.ManagementAddress is { } management ? _bootstrap.ListenTcp(System.Net.IPAddress.Parse(management)) : _bootstrap.Path;
            // Every rank has mapped the segment and holds its bootstrap connection once all have
            // joined: unlink the files now, so nothing is left even if the launcher itself is killed
            // (a job whose VMs may move keeps its host segments: the destination's is mounted then).
            _bootstrap.AllRanksJoined += () =>
            {
                if (Migratable) RemoveRunDirectory();
                else RemoveFiles();
                StartMigrator();
            };
            _bootstrap.LineReceived += OnRankLine;

            _bind = _options.BindTo == BindTo.Core || (_options.BindTo == BindTo.Auto && _options.Ranks <= cores.Length);
            if (_options.ReportBindings) ReportPlacement(Enumerable.Range(0, _options.Ranks));
            if (_options.LaunchReportPath is { } report)
                LaunchReport.Of("cosched", _id, _placement, _vms, _options.Pin, _options.Policy, cores.Length, _bind).Write(report);
            StartControl();
            for (int rank = 0; rank < _options.Ranks; rank++)
            {
                try
                {
                    int r = rank;
                    if (_vms is { StartsRanks: true })
                        _ranks[rank] = StartGuestRank(r);
                    else if (_vms != null)
                    {
                        var p = _placement;
                        // In a VM a rank runs on its own core, or (unbound) on any core of its VM.
                        _ranks[rank] = _bind ? CoreBinding.StartOn(p.CoreOfRank[r], () => StartRank(r))
                            : _options.BindTo == BindTo.None ? StartRank(r)
                            : CoreBinding.StartOn(p.CoresOfVm[p.VmOfRank[r]], () => StartRank(r));
                        _vms!.Adopt(p.VmOfRank[r], _ranks[rank]!.HostPid);
                    }
                    else if (_options.Hosts > 1)
                        _ranks[rank] = _bind ? CoreBinding.StartOn(_placement.CoreOfRank[r], () => StartRank(r))
                            : CoreBinding.StartOn(_placement.CoresOfHost[_placement.HostOfRank(r)], () => StartRank(r));
                    else _ranks[rank] = CoreBinding.StartOn(_bind ? cores[rank % cores.Length] : null, () => StartRank(r));
                }
                catch (Win32Exception e)
                {
                    Console.Error.WriteLine($"cosched: cannot start '{_options.Command[0]}': {e.Message}");
                    return 2;
                }
            }
            return Supervise();
        }

        /// <summary>Makes the VMs, each seeing the host segment of its host (made before), then one
        /// segment per VM with more than one rank, inside that VM.</summary>
        private void StartVms()
        {
            var hostSegmentOfVm = Enumerable.Range(0, _options.Vms).Select(vm => _segmentOfHost[_placement.HostOfVm[vm]]).ToArray();
            // A guest image holds the job's program: the files its command names, and the program
            // found on this host's PATH when the command names it bare.
            var program = _options.Command[0].Contains('/') ? _options.Command[0] : HostSupport.FindTool(_options.Command[0]);
            if (VmKinds.Resolve(_options.VmKind) == VmKind.Qemu && (program == null || !File.Exists(program)))
                throw new DomainException($"cannot start '{_options.Command[0]}': no such program on this host (a guest runs what its image holds, taken from here)");
            var programs = _options.Command.Skip(1).Prepend(program ?? "").Where(p => File.Exists(p) || Directory.Exists(p)).Select(Path.GetFullPath).ToArray();
            _vms = VirtualMachines.Create(_options.VmKind, _id, _options.Vms, hostSegmentOfVm, Environment.ProcessId, _placement.CoresOfVm,
                new VmOptions { ProgramPaths = programs, MemoryMiB = _options.VmMemoryMiB, Cancel = _starting.Token });
            Console.Error.WriteLine($"cosched: job {_id}: {_vms.Describe()}" +
                (_options.Hosts > 1 ? $" on {_options.Hosts} simulated hosts (VMs on hosts {string.Join(',', _placement.HostOfVm)})" : ""));
            if (_vms.Warning is { } warning) Console.Error.WriteLine($"cosched: warning: {warning}");
            if (_options.Policy == ChannelPolicy.Network) return;
            for (int vm = 0; vm < _options.Vms; vm++)
            {
                if (_placement.RanksOf(vm).Count() < 2) continue;
                if (_vms.StartsRanks)
                {
                    _vms.MakeVmSegment(vm, _vms.VmSegmentInVm(vm), _options.Ranks, Tuning());
                    continue; // it lives in the guest, and goes with it
                }
                var path = _vms.VmSegmentOnHost(vm);
                ShmSegment.Create(path, _options.Ranks, Tuning()).Dispose();
                _segmentFiles.Add(path);
            }
        }

        private void ReportPlacement(IEnumerable<int> ranks)
        {
            var emulated = _vms is { IsEmulation: true } ? " (process provider: an emulation)" : "";
            var p = _placement;
            foreach (int r in ranks)
            {
                var host = _vms != null || _options.Hosts > 1 ? $"host {p.HostOfRank(r)}" : "host";
                var where = _vms != null ? $"{host} -> vm {p.VmOfRank[r]}" : host;
                var core = _bind ? $"core {p.CoreOfRank[r]}"
                    : _vms != null ? $"cores {string.Join(',', p.CoresOfVm[p.VmOfRank[r]])}"
                    : _options.Hosts > 1 ? $"cores {string.Join(',', p.CoresOfHost[p.HostOfRank(r)])}" : "unbound";
                Console.Error.WriteLine($"cosched: rank {r} -> {where} -> {core}{emulated}");
            }
        }

        /// <summary>Registers the job (`cosched jobs`) and opens its control socket (`cosched migrate`).</summary>
        private void StartControl()
        {
            var socket = Path.Combine(JobRegistry.DirectoryOf(_id), "control.sock");
            JobRegistry.Write(Entry(socket));
            _control = new ControlServer(socket, _secret, Control, message => Console.Error.WriteLine(message));
        }

        private JobEntry Entry(string socket) => new()
        {
            Id = _id, LauncherPid = Environment.ProcessId, Started = _started, Command = string.Join(' ', _options.Command),
            Ranks = _options.Ranks, Vms = _options.Vms, VmKind = _vms?.Kind.Name() ?? "native", Hosts = _options.Hosts,
            HostOfVm = _vms != null ? _placement.HostOfVm : [], ControlSocket = socket, Secret = _secret,
        };

        /// <summary>Answers a control request (the words after the secret).</summary>
        private string Control(string[] request)
        {
            switch (request)
            {
                case [ControlServer.Migrate, var vmText, var hostText] when int.TryParse(vmText, out int vm) && int.TryParse(hostText, out int host):
                    if (_vms == null) return $"{ControlServer.Error} job {_id} runs natively: it has no VM to move";
                    if (_migrator == null) return $"{ControlServer.Error} job {_id} is still starting its ranks";
                    try { return $"{ControlServer.Ok} {_migrator.Move(vm, host).ToJson()}"; }
                    catch (MoveRefusedException e) { return $"{ControlServer.Error} {e.Message}"; }
                    catch (TimeoutException e) { return $"{ControlServer.Late} {e.Message}"; }
                default:
                    return $"{ControlServer.Error} unknown request '{string.Join(' ', request)}'";
            }
        }

        /// <summary>Once every rank holds its bootstrap connection, moves can be made.</summary>
        private void StartMigrator()
        {
            if (_vms == null) return;
            var migrator = new Migrator(_placement, _vms, _segmentOfHost, (r, line) => _bootstrap!.Send(r, line), CoresOf, Repin);
            migrator.Moved += record =>
            {
                _placement = migrator.Placement;
                Console.Error.WriteLine($"cosched: {record.Describe()}");
                if (_options.ReportBindings) ReportPlacement(_placement.RanksOf(record.Vm));
                try { JobRegistry.Write(Entry(_control!.Path)); }
                catch (IOException) { }
            };
            _migrator = migrator;
            if (_options.Migrate is { } schedule) _scheduled = new ScheduledMoves(schedule, migrator, message => Console.Error.WriteLine(message));
            if (!_options.ClockFromTimedPhase) _scheduled?.StartClock();
        }

        /// <summary>A line from a rank after start-up: the migrator's answers, or the start of its timed phase.</summary>
        private void OnRankLine(int rank, string? line)
        {
            if (line == $"{Messaging.Migration.ControlWords.Phase} timed")
            {
                if (_options.ClockFromTimedPhase && rank == 0 && Interlocked.Exchange(ref _timedPhaseSeen, 1) == 0)
                {
                    _migrator?.StartClock();
                    _scheduled?.StartClock();
                }
                return;
            }
            _migrator?.OnLine(rank, line);
        }

        /// <summary>The cores a rank may run on: its own when bound, else its VM's.</summary>
        private int[] CoresOf(Placement placement, int rank) =>
            _bind ? [placement.CoreOfRank[rank]] : placement.CoresOfVm[placement.VmOfRank[rank]];

        /// <summary>After a move: the rank's threads go to its cores on the destination host.</summary>
        private void Repin(int rank, int[] cores)
        {
            if (_options.BindTo == BindTo.None && _vms is { Kind: VmKind.Namespace }) return; // the cpuset already did
            try
            {
                // A guest's rank runs on its vCPUs: the destination QEMU already runs on the new cores.
                if (_ranks[rank] is { HasExited: false, HostPid: > 0 } process) CoreBinding.Repin(process.HostPid, cores);
            }
            catch (InvalidOperationException) { }
        }

        private static int Tuning() =>
            int.TryParse(Environment.GetEnvironmentVariable("COSCHED_SHM_RING_KIB"), out int kib) && kib > 0 ? kib * 1024 : ShmSegment.DefaultRingBytes;

        private HostRank StartRank(int rank)
        {
            var command = _vms != null ? _vms.Wrap(_placement.VmOfRank[rank], _options.Command) : _options.Command;
            var info = new ProcessStartInfo(command[0])
            {
                UseShellExecute = false,
                RedirectStandardOutput = _options.TagOutput,
                RedirectStandardError = _options.TagOutput,
            };
            foreach (var argument in command.Skip(1)) info.ArgumentList.Add(argument);
            foreach (var (key, value) in RankEnvironment(rank)) info.Environment[key] = value;

            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.Exited += (_, _) => _events.Add((rank, process.ExitCode));
            process.Start();
            if (_options.TagOutput)
            {
                Forward(process.StandardOutput, Console.Out, Tag(rank, "stdout"));
                Forward(process.StandardError, Console.Error, Tag(rank, "stderr"));
            }
            return new HostRank(process);
        }

        /// <summary>A rank in a guest: its agent starts it, and its output comes over the agent's channel.</summary>
        private IRankProcess StartGuestRank(int rank)
        {
            string? outTag = _options.TagOutput ? Tag(rank, "stdout") : null, errTag = _options.TagOutput ? Tag(rank, "stderr") : null;
            return _vms!.StartRank(_placement.VmOfRank[rank], new RankLaunch(rank, _options.Command, RankEnvironment(rank), Environment.CurrentDirectory,
                line => { lock (Console.Out) Console.Out.WriteLine(outTag + line); },
                line => { lock (Console.Error) Console.Error.WriteLine(errTag + line); },
                code => _events.Add((rank, code))));
        }

        private string Tag(int rank, string stream) => $"[{_id},{rank}]<{stream}>: ";

        /// <summary>What a rank finds in its environment: the job's settings on top of the user's.</summary>
        private Dictionary<string, string> RankEnvironment(int rank)
        {
            int vm = _vms != null ? _placement.VmOfRank[rank] : -1;
            int host = _placement.HostOfRank(rank);
            var environment = new Dictionary<string, string>();
            foreach (var (key, value) in _options.Environment) environment[key] = value;
            environment[JobSettings.JobVariable] = _id;
            environment[JobSettings.RankVariable] = rank.ToString();
            environment[JobSettings.SizeVariable] = _options.Ranks.ToString();
            environment[JobSettings.SecretVariable] = _secret;
            environment[JobSettings.ChannelsVariable] = _options.Policy.Name();
            environment["COSCHED_HOST_CORES"] = Environment.ProcessorCount.ToString();
            // Whatever the launcher inherited (srun's PMIx variables, say), its ranks join through it.
            environment[JobSettings.BootstrapVariable] = "launcher";
            environment[JobSettings.BootstrapSocketVariable] = _bootstrapAddress;
            environment[JobSettings.HostVariable] = host.ToString();
            if (Migratable) environment[JobSettings.MigratableVariable] = "1";
            // Spin or yield (see Wireup): the ranks that may compete for this rank's cores. A VM that
            // may move may end up beside any other, and hosts that share cores share them with all.
            environment[JobSettings.HostRanksVariable] = (Migratable || _placement.HostsShareCores ? _options.Ranks : _placement.RanksOnHost(host).Count()).ToString();
            if (_vms == null)
            {
                if (_segmentOfHost[host] is { } segment) environment[JobSettings.SegmentVariable] = segment;
            }
            else
            {
                environment["COSCHED_VM"] = vm.ToString();
                environment["COSCHED_VM_KIND"] = _vms.Kind.Name();
                environment[JobSettings.BindVariable] = _vms.BindAddress(vm);
                if (_options.Policy != ChannelPolicy.Network && _placement.RanksOf(vm).Count() > 1)
                    environment[JobSettings.SegmentVariable] = _vms.VmSegmentInVm(vm);
                if (_vms.HostSegmentInVm(vm) is { } hostSegment) environment[JobSettings.HostSegmentVariable] = hostSegment;
            }
            if (_options.ReportBindings) environment[JobSettings.ReportBindingsVariable] = "1";
            return environment;
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
            _migrator?.Finish(); // a move under way ends now: its ranks are about to go
            foreach (var p in Live()) p.Signal(Signals.SIGTERM);
            var deadline = DateTime.UtcNow + GracePeriod;
            foreach (var p in Live()) p.WaitForExit(Clamp(deadline - DateTime.UtcNow));
            foreach (var p in Live()) p.Kill();
            foreach (var p in _ranks) p?.WaitForExit(TimeSpan.FromSeconds(2));
        }

        private IEnumerable<IRankProcess> Live() => _ranks.OfType<IRankProcess>().Where(p => !p.HasExited);

        private void RemoveFiles()
        {
            foreach (var path in _segmentFiles)
            {
                try { File.Delete(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // its VM is already gone
            }
            RemoveRunDirectory();
        }

        private void RemoveRunDirectory()
        {
            try { Directory.Delete(_runDirectory, recursive: true); }
            catch (IOException) { }
        }

        public void Dispose()
        {
            TearDown(); // ends a move under way first (see there)
            _scheduled?.Dispose();
            _control?.Dispose();
            JobRegistry.Remove(_id);
            _bootstrap?.Dispose();
            RemoveFiles();
            _vms?.Dispose();
            foreach (var p in _ranks) p?.Dispose();
            // Last: a second Ctrl-C or a SIGTERM during the teardown (a scheduler stopping its jobs
            // sends one) must find the handler, not the default action that ends the process with
            // the VMs half removed.
            foreach (var registration in _signals) registration.Dispose();
            _starting.Dispose();
        }
    }
}
