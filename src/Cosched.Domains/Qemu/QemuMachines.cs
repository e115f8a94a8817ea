using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cosched.Domains.Qemu;

/// <summary>The `qemu` provider (root): every VM is a QEMU guest with its own kernel (KVM where a
/// probe shows it works, else TCG), booted from <see cref="GuestImage"/>, its hostname and an
/// address of the job's /24 on virtio-net (a tap on the job's bridge), its own /dev/shm for its VM
/// segment, and the host segment of its host as an ivshmem-plain device. A guest agent on a
/// virtio-serial port starts the ranks (<see cref="AgentLink"/>). A move is QEMU's live migration
/// to a new QEMU on the destination's cores, with the ivshmem device detached before and the
/// destination's host segment attached after (a device with master=off blocks migration; FAST's
/// migfra does the same).</summary>
/// <remarks>QEMU runs in a session of its own (a Ctrl-C in the terminal reaches the launcher, which
/// ends the job in order) under a small shell that kills it when the launcher is gone, even after
/// SIGKILL. The taps are QEMU's own (not persistent): they vanish with it.</remarks>
internal sealed class QemuMachines : VirtualMachines
{
    /// <summary>The ivshmem device's PCI slot, the same at boot and after every re-attach, so its BAR has one path in the guest.</summary>
    private const int HostSegmentSlot = 0x10;
    private const string HostSegmentDevice = "/sys/bus/pci/devices/0000:00:10.0";

    public static TimeSpan BootTimeout => TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("COSCHED_QEMU_BOOT_TIMEOUT_S"), CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 120);

    private readonly GuestImage _image;
    private readonly string _accelerator;
    private readonly int _launcherPid;
    private readonly int _memoryMiB;
    private readonly string?[] _hostSegmentOfVm;
    private readonly int[][] _cores;
    private readonly Guest?[] _guests;
    private readonly AgentLink[] _links;
    private readonly int[] _generation;
    private readonly Action<string> _log;
    private readonly CancellationToken _cancel;
    private int _subnet = -1;
    private bool _disposed;

    /// <summary>One QEMU process running a VM (a migration makes a second one).</summary>
    /// <param name="Errors">What QEMU wrote to stderr (it says why it could not run a guest).</param>
    private sealed record Guest(Process Sitter, string Qmp, string Agent, string Console, string Tap, Qmp? Monitor, System.Text.StringBuilder Errors)
    {
        /// <summary>QEMU's first line on stderr, or null.</summary>
        public string? FirstError()
        {
            lock (Errors) return Errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        }

        public Qmp? Monitor { get; set; } = Monitor;
        public bool Running => !Sitter.HasExited;
    }

    private QemuMachines(string job, int count, string?[] hostSegmentOfVm, int launcherPid, int[][] cores, GuestImage image, string accelerator, int memoryMiB, Action<string> log, CancellationToken cancel)
        : base(job, count)
    {
        _hostSegmentOfVm = hostSegmentOfVm;
        _launcherPid = launcherPid;
        _cores = cores;
        _image = image;
        _accelerator = accelerator;
        _memoryMiB = memoryMiB;
        _log = log;
        _cancel = cancel;
        _guests = new Guest?[count];
        _links = Enumerable.Range(0, count).Select(_ => new AgentLink()).ToArray();
        _generation = new int[count];
    }

    public override VmKind Kind => VmKind.Qemu;
    public override bool IsEmulation => false;
    public string JobDirectory => Path.Combine(NamespaceMachines.RunRoot, Job);
    private string Bridge => $"{NamespaceMachines.LinkPrefix}{Job}";
    public string Hostname(int vm) => $"cosched-{Job}-vm{vm}";
    private string Address(int vm) => Subnets.Address(_subnet, vm + 1);
    public override string? ManagementAddress => Subnets.Address(_subnet, 254);
    private int MemoryOf(int vm) => _memoryMiB > 0 ? _memoryMiB : 512 * Math.Max(1, _cores[vm].Length);

    public override string Describe() =>
        $"{Count} {(Count == 1 ? "VM" : "VMs")} with the qemu provider (QEMU guests under {_accelerator.ToUpperInvariant()}, " +
        $"{string.Join('/', Enumerable.Range(0, Count).Select(v => _cores[v].Length).Distinct())} vCPU and {string.Join('/', Enumerable.Range(0, Count).Select(MemoryOf).Distinct())} MiB each; " +
        $"bridge {Bridge}, subnet 10.213.{_subnet}.0/24; image {_image.Key}; booted in {BootSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)";

    public override string? Warning => _accelerator == "tcg"
        ? "the guests run under TCG (emulated CPUs, several times slower than the host): compare channels with each other, not with native runs"
        : null;

    public override string VmSegmentOnHost(int vm) => throw new NotSupportedException("a QEMU guest's segment lives in the guest (MakeVmSegment)");
    public override string VmSegmentInVm(int vm) => $"/dev/shm/cosched-{Job}-vm{vm}";
    public override string? HostSegmentInVm(int vm) => _hostSegmentOfVm[vm] == null ? null : Path.Combine(HostSegmentDevice, "resource2");
    public override string BindAddress(int vm) => Address(vm);
    public override bool StartsRanks => true;

    public override IRankProcess StartRank(int vm, RankLaunch launch) => _links[vm].Start(launch);

    public override void MakeVmSegment(int vm, string path, int ranks, int ringBytes) =>
        _links[vm].Request($"{AgentProtocol.Segment} {path} {ranks} {ringBytes}", TimeSpan.FromSeconds(30));

    public static QemuMachines Create(string job, int count, string?[] hostSegmentOfVm, int launcherPid, int[][] cores, VmOptions options)
    {
        if (!HostSupport.IsRoot) throw new DomainException("the qemu provider needs root (a tap per VM on the job's bridge)");
        if (!HostSupport.HasIpTool) throw new DomainException("the qemu provider needs ip (iproute2)");
        if (count > 99) throw new DomainException($"the qemu provider makes at most 99 VMs per job (asked for {count})");
        var log = options.Log ?? (line => Console.Error.WriteLine($"cosched: {line}"));
        var image = GuestImage.Ensure(options.ProgramPaths, log);
        var machines = new QemuMachines(job, count, hostSegmentOfVm, launcherPid, cores, image, QemuHost.Accelerator(image), options.MemoryMiB, log, options.Cancel);
        try
        {
            machines.Build();
            return machines;
        }
        catch
        {
            machines.Dispose();
            throw;
        }
    }

    private void Build()
    {
        Directory.CreateDirectory(JobDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(JobDirectory, "launcher.pid"), _launcherPid.ToString());
        _subnet = Subnets.Reserve(Job);
        Shell.RunIpBatch(null, $"link add {Bridge} type bridge", $"addr add {ManagementAddress}/24 dev {Bridge}", $"link set {Bridge} up");
        var ifup = Path.Combine(JobDirectory, "ifup");
        File.WriteAllText(ifup, $"#!/bin/sh\nexec ip link set \"$1\" master {Bridge} up\n");
        File.SetUnixFileMode(ifup, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var clock = Stopwatch.StartNew();
        for (int vm = 0; vm < Count; vm++)
        {
            _guests[vm] = Launch(vm, _cores[vm], _hostSegmentOfVm[vm], incoming: null);
            int v = vm;
            // A guest that ends while booting is reported by WaitForBoot, in one line.
            _links[vm].Lost += () => { if (!_disposed && _booted) _log($"VM {v}'s guest ended: {ConsoleTail(_guests[v]!)}"); };
            _links[vm].Connect(_guests[vm]!.Agent, TimeSpan.FromSeconds(10), () => _guests[v]!.Running);
        }
        for (int vm = 0; vm < Count; vm++) WaitForBoot(vm, clock);
        for (int vm = 0; vm < Count; vm++)
            if (_hostSegmentOfVm[vm] != null) _links[vm].Request($"{AgentProtocol.Device} {HostSegmentDevice}", TimeSpan.FromSeconds(30));
        BootSeconds = clock.Elapsed.TotalSeconds;
        _booted = true;
    }

    private volatile bool _booted;

    /// <summary>Seconds from the first QEMU's start to every agent's HELLO.</summary>
    public double BootSeconds { get; private set; }

    private void WaitForBoot(int vm, Stopwatch clock)
    {
        var guest = _guests[vm]!;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
        guest.Sitter.EnableRaisingEvents = true;
        guest.Sitter.Exited += (_, _) => { try { ended.Cancel(); } catch (ObjectDisposedException) { } };
        if (guest.Sitter.HasExited) ended.Cancel();
        var left = BootTimeout - clock.Elapsed;
        if (_links[vm].WaitForHello(left > TimeSpan.Zero ? left : TimeSpan.Zero, ended.Token)) return;
        _cancel.ThrowIfCancellationRequested();
        var why = guest.Sitter.HasExited ? "its QEMU ended" : $"no answer from its agent within {BootTimeout.TotalSeconds:0} s";
        if (guest.Sitter.HasExited) guest.Sitter.WaitForExit(); // all of QEMU's stderr is in
        var tail = ConsoleTail(guest);
        if (guest.FirstError() is { } error && tail == NoConsoleOutput) tail = $"QEMU: {error}";
        throw new DomainException($"VM {vm} did not boot ({why}): {tail}");
    }

    private const string NoConsoleOutput = "no console output";

    /// <summary>The guest console's own error line, else its last line (what a user would look at).</summary>
    private static string ConsoleTail(Guest guest)
    {
        string[] lines;
        try { lines = File.ReadAllLines(guest.Console).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray(); }
        catch (IOException) { return NoConsoleOutput; }
        var error = lines.LastOrDefault(l => l.Contains("cosched-guest: ERROR", StringComparison.Ordinal) || l.Contains("Kernel panic", StringComparison.Ordinal));
        var line = error ?? lines.LastOrDefault();
        return line == null ? NoConsoleOutput : $"console: {new string(line.Where(c => !char.IsControl(c)).ToArray())}";
    }

    /// <summary>Starts a QEMU for <paramref name="vm"/> on <paramref name="cores"/>, with the host
    /// segment as ivshmem when given, waiting for a migration stream at <paramref name="incoming"/> when given.</summary>
    private Guest Launch(int vm, int[] cores, string? hostSegment, string? incoming)
    {
        int generation = _generation[vm]++;
        string Named(string what) => Path.Combine(JobDirectory, $"vm{vm}-{generation}.{what}");
        var tap = $"{NamespaceMachines.LinkPrefix}{Job}q{vm}{(char)('a' + generation % 26)}";
        var qmp = Named("qmp");
        var agent = Named("agent");
        var console = Named("console");
        var kvm = _accelerator == "kvm";
        var append = $"console=ttyS0 quiet panic=-1 cosched.hostname={Hostname(vm)} cosched.ip={Address(vm)}/24 " +
            $"cosched.port={GuestImage.AgentPortName} cosched.dotnet={GuestImage.DotnetHost} cosched.cli={GuestImage.CliAssembly}";
        var qemu = new List<string>
        {
            "taskset", "-c", string.Join(',', cores), QemuHost.Qemu!,
            "-name", $"{Hostname(vm)},debug-threads=on", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
            // Under TCG a named model, not "max": some state of max's newer features does not survive
            // a migration (destination guests crashed in about one move in three; none with Nehalem,
            // which still has the SSE4.2 and POPCNT that .NET expects).
            "-machine", $"pc,accel={_accelerator}", "-cpu", kvm ? "host" : "Nehalem", "-smp", cores.Length.ToString(), "-m", $"{MemoryOf(vm)}M",
            "-kernel", _image.Kernel, "-initrd", _image.Initrd, "-append", append,
            "-chardev", $"file,id=console,path={console}", "-serial", "chardev:console",
            "-qmp", $"unix:{qmp},server=on,wait=off",
            "-drive", $"file={_image.Disk},if=none,id=disk,format=raw,readonly=on", "-device", "virtio-blk-pci,drive=disk,addr=0x4",
            "-device", "virtio-serial-pci,id=serial,addr=0x5",
            "-chardev", $"socket,id=agent,path={agent},server=on,wait=off", "-device", $"virtserialport,chardev=agent,name={GuestImage.AgentPortName}",
            "-netdev", $"tap,id=net,ifname={tap},script={Path.Combine(JobDirectory, "ifup")},downscript=no",
            "-device", $"virtio-net-pci,netdev=net,mac=52:54:00:d5:{_subnet:x2}:{vm:x2},romfile=,addr=0x6",
        };
        if (hostSegment != null) qemu.AddRange(["-object", HostSegmentBackend(hostSegment), "-device", HostSegmentDeviceArgument]);
        if (incoming != null) qemu.AddRange(["-incoming", $"unix:{incoming}"]);
        // The sitter: QEMU in a session of its own, killed when the launcher is gone.
        const string sitter = "l=$1; shift; \"$@\" & q=$!; while kill -0 $q 2>/dev/null; do kill -0 $l 2>/dev/null || kill -9 $q; sleep 0.5; done; wait $q";
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "sh", "-c", sitter, "sh", _launcherPid.ToString() }.Concat(qemu)) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new DomainException("cannot start QEMU");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (errors) errors.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var guest = new Guest(process, qmp, agent, console, tap, null, errors);
        try
        {
            guest.Monitor = Qemu.Qmp.Connect(qmp, TimeSpan.FromSeconds(20), () => guest.Running);
        }
        catch (DomainException)
        {
            process.WaitForExit(2000);
            throw new DomainException($"QEMU for VM {vm} did not start: {guest.FirstError() ?? "no message"}");
        }
        return guest;
    }

    /// <summary>ivshmem needs a power-of-two size: the host segment's file grows to one (its header
    /// says where its rings end, so readers ignore the rest); returns that size.</summary>
    private static long GrowToPowerOfTwo(string hostSegment)
    {
        long size = new FileInfo(hostSegment).Length;
        long power = 1L << (int)Math.Ceiling(Math.Log2(Math.Max(size, 1 << 20)));
        if (power != size)
            using (var file = new FileStream(hostSegment, FileMode.Open, FileAccess.ReadWrite)) file.SetLength(power);
        return power;
    }

    private static string HostSegmentBackend(string hostSegment) =>
        $"memory-backend-file,id=hostseg,share=on,mem-path={hostSegment},size={GrowToPowerOfTwo(hostSegment)}";

    private static string HostSegmentDeviceArgument => $"ivshmem-plain,memdev=hostseg,id=hostshm,master=off,addr=0x{HostSegmentSlot:x}";

    public override QemuMigration? LastMigration => _lastMigration;
    private QemuMigration? _lastMigration;

    /// <summary>The QEMU live migration: (1) detach the ivshmem device (the ranks already left it:
    /// SUSPEND came first) and drop its memory backend; (2) start the destination QEMU on the
    /// destination's cores, waiting for the stream; (3) migrate over a Unix socket with QEMU's default
    /// downtime limit, and the bandwidth limit lifted (QEMU's default of 32 MiB/s is meant for a
    /// shared network; this stream stays on the host); (4) end the source, move the agent channel; (5)
    /// attach the destination's host segment and wait for the guest to see it (ATTACH comes next).</summary>
    public override string MoveVm(int vm, int[] cores, string? hostSegment)
    {
        var source = _guests[vm]!;
        var monitor = source.Monitor!;
        bool hadDevice = _hostSegmentOfVm[vm] != null;
        var clock = Stopwatch.StartNew();
        Trace(vm, clock, "device_del");
        if (hadDevice)
        {
            monitor.Execute("device_del", new JsonObject { ["id"] = "hostshm" });
            if (!monitor.WaitForEvent("DEVICE_DELETED", TimeSpan.FromSeconds(20)))
                throw new DomainException($"VM {vm}'s guest did not release its ivshmem device within 20 s");
            monitor.Execute("object-del", new JsonObject { ["id"] = "hostseg" });
        }
        Trace(vm, clock, "start destination");
        double detachMs = clock.Elapsed.TotalMilliseconds;
        _hostSegmentOfVm[vm] = null;
        var stream = Path.Combine(JobDirectory, $"vm{vm}-{_generation[vm]}.migration");
        var destination = Launch(vm, cores, hostSegment: null, incoming: stream);
        double startMs = clock.Elapsed.TotalMilliseconds - detachMs;
        JsonObject status;
        try
        {
            // Until the launcher reaches the destination, the guest keeps what it has to say.
            Trace(vm, clock, "hold");
            _links[vm].Request(AgentProtocol.Hold, TimeSpan.FromSeconds(30));
            Trace(vm, clock, "migrate");
            monitor.Execute("migrate-set-parameters", new JsonObject { ["downtime-limit"] = DowntimeLimitMs, ["max-bandwidth"] = 64L << 30 });
            monitor.Execute("migrate", new JsonObject { ["uri"] = $"unix:{stream}" });
            Trace(vm, clock, "wait");
            status = WaitForMigration(monitor, vm);
        }
        catch (DomainException)
        {
            Stop(destination);
            _links[vm].Send(AgentProtocol.Resume); // the source goes on
            throw;
        }
        // The agent channel moves first: the source's, ending with it, is then a replaced one, not a lost guest.
        Trace(vm, clock, "move link");
        _links[vm].MoveTo(destination.Agent, () => destination.Running);
        _guests[vm] = destination;
        Trace(vm, clock, "stop source");
        Stop(source);
        _links[vm].Send(AgentProtocol.Resume);
        Trace(vm, clock, "attach");
        double migrateMs = clock.Elapsed.TotalMilliseconds - detachMs - startMs;
        if (hostSegment != null)
        {
            destination.Monitor!.Execute("object-add", JsonNode.Parse($"{{\"qom-type\":\"memory-backend-file\",\"id\":\"hostseg\",\"share\":true,\"mem-path\":\"{hostSegment}\",\"size\":{GrowToPowerOfTwo(hostSegment)}}}")!.AsObject());
            destination.Monitor.Execute("device_add", new JsonObject { ["driver"] = "ivshmem-plain", ["memdev"] = "hostseg", ["id"] = "hostshm", ["master"] = "off", ["addr"] = $"0x{HostSegmentSlot:x}" });
            Trace(vm, clock, "device request");
            _links[vm].Request($"{AgentProtocol.Device} {HostSegmentDevice}", TimeSpan.FromSeconds(30));
            _hostSegmentOfVm[vm] = hostSegment;
        }
        double attachMs = clock.Elapsed.TotalMilliseconds - detachMs - startMs - migrateMs;
        var ram = status["ram"] as JsonObject;
        _lastMigration = new QemuMigration(
            Number(status, "total-time"), Number(status, "downtime"), Number(status, "setup-time"), DowntimeLimitMs,
            (long)Number(ram, "transferred"), MemoryOf(vm), Math.Round(detachMs, 1), Math.Round(startMs, 1), Math.Round(attachMs, 1));
        return FormattableString.Invariant(
            $"qemu provider: QEMU live migration to a new QEMU on cores {string.Join(',', cores)}: total {_lastMigration.TotalMs:0} ms, downtime {_lastMigration.DowntimeMs:0} ms (limit {DowntimeLimitMs} ms), {_lastMigration.TransferredBytes / (1024.0 * 1024):0.#} MiB of {MemoryOf(vm)} MiB sent; ") +
            (hadDevice || hostSegment != null ? FormattableString.Invariant($"ivshmem detached in {detachMs:0} ms, destination's attached in {attachMs:0} ms") : "no ivshmem device (per-vm channels)");
    }

    /// <summary>COSCHED_QEMU_TRACE=1: each step of a move, with its time, on the launcher's stderr.</summary>
    private static readonly bool Tracing = Environment.GetEnvironmentVariable("COSCHED_QEMU_TRACE") == "1";

    private void Trace(int vm, Stopwatch clock, string step)
    {
        if (Tracing) _log(FormattableString.Invariant($"qemu trace: VM {vm} move at {clock.Elapsed.TotalMilliseconds:0} ms: {step}"));
    }

    /// <summary>QEMU's default downtime limit (migrate-set-parameters downtime-limit), in ms.</summary>
    public const int DowntimeLimitMs = 300;

    private static double Number(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue(out double d) ? d : 0;

    private JsonObject WaitForMigration(Qmp monitor, int vm)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var status = monitor.Execute("query-migrate") as JsonObject ?? new JsonObject();
            switch (status["status"]?.GetValue<string>())
            {
                case "completed": return status;
                case "failed" or "cancelled":
                    throw new DomainException($"QEMU could not migrate VM {vm}: {status["error-desc"]?.GetValue<string>() ?? "migration failed"}");
            }
            Thread.Sleep(20);
        }
        throw new DomainException($"QEMU's migration of VM {vm} did not complete within 5 minutes");
    }

    /// <summary>Ends one QEMU: quit over QMP, then its sitter and QEMU by signal if it lingers.</summary>
    private static void Stop(Guest guest)
    {
        try { guest.Monitor?.Execute("quit"); }
        catch (Exception e) when (e is DomainException or IOException or ObjectDisposedException) { }
        guest.Monitor?.Dispose();
        if (!guest.Sitter.WaitForExit(3000))
        {
            try { guest.Sitter.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            guest.Sitter.WaitForExit(2000);
        }
        guest.Sitter.Dispose();
    }

    public override void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var link in _links) link.Dispose();
        foreach (var guest in _guests)
            if (guest != null) Stop(guest);
        Cleanup.RemoveJob(Job, log: null);
    }
}

/// <summary>QEMU's own figures of a live migration (query-migrate), with the provider's phases around it.</summary>
public sealed record QemuMigration(
    [property: JsonPropertyName("total_ms")] double TotalMs,
    [property: JsonPropertyName("downtime_ms")] double DowntimeMs,
    [property: JsonPropertyName("setup_ms")] double SetupMs,
    [property: JsonPropertyName("downtime_limit_ms")] int DowntimeLimitMs,
    [property: JsonPropertyName("transferred_bytes")] long TransferredBytes,
    [property: JsonPropertyName("memory_mib")] int MemoryMiB,
    [property: JsonPropertyName("detach_ms")] double DetachMs,
    [property: JsonPropertyName("destination_start_ms")] double DestinationStartMs,
    [property: JsonPropertyName("attach_ms")] double AttachMs);
