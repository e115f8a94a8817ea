using System.Diagnostics;
using System.Text.RegularExpressions;
using Cosched.Domains.Qemu;
using Cosched.Tests.Shared;

namespace Cosched.Domains.Tests;

/// <summary>The qemu provider: every VM a QEMU guest with its own kernel (TCG where KVM does not
/// work, as on CI), ranks started by the guest agent, VM traffic on virtio-net, the host segment as
/// an ivshmem device, live migration by QEMU. Needs root and QEMU (CI installs both); skipped with
/// the reason otherwise. Guests under TCG are slow: each job here runs seconds, not minutes.</summary>
[Collection("vms")]
public partial class QemuTests
{
    [GeneratedRegex(@"^cosched: move \d+: vm 1 host \d+ -> \d+: .*\(qemu provider: QEMU live migration .*downtime \d+ ms \(limit 300 ms\)", RegexOptions.Multiline)]
    private static partial Regex QemuMoveLine();

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(240);

    private static CoschedCli.Result Run(params string[] arguments) => CoschedCli.Run(Limit, arguments);

    private static CoschedCli.Result RunWith(Dictionary<string, string> environment, string[] arguments) =>
        CoschedCli.RunProgram(Limit, Path.Combine(Cli.RepositoryRoot, "cosched"), arguments, environment);

    /// <summary>Two guests, two ranks each: each guest has its own hostname; inside a guest ranks
    /// share its own /dev/shm segment; between guests per-vm goes over virtio-net (tcp) and locality
    /// over the host segment the guests see as an ivshmem device (shm-host); every value arrives.</summary>
    [QemuTheory]
    [InlineData("per-vm")]
    [InlineData("locality")]
    public void GuestsHaveTheirOwnHostnamesAndTheChannelsThePolicyGives(string policy)
    {
        var result = Run(["run", "-n", "4", "--vms", "2", "--vm-kind", "qemu", "--channels", policy, "--report-bindings", "--", .. Cli.TestRank("exchange")]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("exchange ok", result.Output);
        Assert.Contains("with the qemu provider (QEMU guests under", result.Error);
        var bindings = Cli.Bindings(result.Error);
        Assert.Equal(4, bindings.Count);
        Assert.Equal(bindings[0].Host, bindings[1].Host);
        Assert.Equal(bindings[2].Host, bindings[3].Host);
        Assert.NotEqual(bindings[0].Host, bindings[2].Host);
        Assert.NotEqual(Environment.MachineName, bindings[0].Host);
        foreach (var (vm, _, channels) in bindings.Values)
            foreach (var (peer, transport) in channels)
                Assert.Equal(bindings[peer].Vm == vm ? "shm" : policy == "per-vm" ? "tcp" : "shm-host", transport);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    /// <summary>Every collective, checked on every rank against its sequential result, with ranks in guests.</summary>
    [QemuTheory]
    [InlineData("locality")]
    [InlineData("per-vm")]
    public void CollectivesAreCorrectInGuests(string policy)
    {
        var result = Run(["run", "-n", "4", "--vms", "2", "--pin", "scatter", "--vm-kind", "qemu", "--channels", policy, "--", .. Cli.TestRank("collectives")]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("collectives ok", result.Output);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    /// <summary>A rank that fails in a guest ends the whole job with its code, and nothing stays.</summary>
    [QemuFact]
    public void AFailingRankInAGuestEndsTheJob()
    {
        var result = Run(["run", "-n", "4", "--vms", "2", "--vm-kind", "qemu", "--", .. Cli.TestRank("exit", "3", "7")]);
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("cosched: rank 3 exited with code 7; ending the job", result.Error);
        Assert.Empty(Cli.LeftoversAfterSettling(Cli.JobOf(result.Error)));
    }

    /// <summary>VM 1 moves to the other host and back by QEMU's live migration while every rank storms
    /// every other with messages of random sizes and tags: every byte arrives, in order, and each
    /// move's record carries QEMU's own downtime. The moves are asked for with `cosched migrate`,
    /// which returns when a move is complete, so both happen inside the storm however slow TCG is.</summary>
    [QemuFact]
    public void LiveMigrationUnderAMessageStormLosesNothing()
    {
        using var launcher = CoschedCli.StartProgram(Path.Combine(Cli.RepositoryRoot, "cosched"),
            ["run", "-n", "2", "--vms", "2", "--hosts", "2", "--vm-kind", "qemu", "--vm-memory", "256", "--", .. Cli.TestRank("storm", "45")],
            new Dictionary<string, string> { ["COSCHED_MOVE_DEADLINE_S"] = "60" });
        var output = launcher.StandardOutput.ReadToEndAsync();
        var error = new System.Text.StringBuilder();
        string? job = null;
        while (launcher.StandardError.ReadLine() is { } line)
        {
            error.AppendLine(line);
            if (line.StartsWith("cosched: job ", StringComparison.Ordinal)) job = Cli.JobOf(line);
            if (line.StartsWith("test rank: job", StringComparison.Ordinal)) break;
        }
        Assert.True(job != null, error.ToString());
        var rest = launcher.StandardError.ReadToEndAsync();
        foreach (var host in new[] { "0", "1" })
        {
            var moved = Run("migrate", job, "--vm", "1", "--to-host", host);
            Assert.True(moved.ExitCode == 0, moved.Error);
            Assert.Matches(@"^move \d+: vm 1 host \d+ -> " + host + @": .*\(qemu provider: QEMU live migration .*downtime \d+ ms \(limit 300 ms\)", moved.Output);
        }
        Assert.True(launcher.WaitForExit(Limit), "the job did not end");
        launcher.WaitForExit();
        Assert.True(launcher.ExitCode == 0, error + rest.Result);
        Assert.Matches(@"storm ok: \d+ rounds, 2 moves", output.Result);
        Assert.Equal(2, QemuMoveLine().Matches(rest.Result).Count);
        Assert.Empty(Cli.LeftoversAfterSettling(job));
    }

    /// <summary>Ctrl-C typed in a terminal while ranks run in guests: exit 130, no QEMU, tap, bridge or file left.</summary>
    [QemuFact]
    public void CtrlCInATerminalEndsTheGuestsAndLeavesNothing()
    {
        if (HostSupport.FindTool("tmux") == null)
        {
            Console.WriteLine("skipped: CtrlCInATerminalEndsTheGuestsAndLeavesNothing needs tmux (CI installs it)");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("csdtest").FullName;
        var session = $"csdqemu{Environment.ProcessId}";
        try
        {
            var command = $"cd '{Cli.RepositoryRoot}' && ./cosched run -n 2 --vms 2 --vm-kind qemu -- " +
                string.Join(' ', Cli.TestRank("storm", "600").Select(a => $"'{a}'")) + $" 2>'{dir}/err'; echo $? > '{dir}/rc'";
            Cli.Tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command);
            var err = Path.Combine(dir, "err");
            Cli.WaitUntil(() => File.Exists(err) && File.ReadAllText(err).Contains("test rank: job"), Limit);
            var job = Cli.JobOf(File.ReadAllText(err));
            var clock = Stopwatch.StartNew();
            Cli.Tmux("send-keys", "-t", session, "C-c");
            Cli.WaitUntil(() => File.Exists(Path.Combine(dir, "rc")), TimeSpan.FromSeconds(30));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the job took {clock.Elapsed.TotalSeconds:0.00} s to end after Ctrl-C");
            Assert.Equal("130", File.ReadAllText(Path.Combine(dir, "rc")).Trim());
            Assert.Empty(Cli.LeftoversAfterSettling(job));
        }
        finally
        {
            Cli.Tmux("kill-session", "-t", session);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A launcher killed with SIGKILL takes its guests with it (their sitters end QEMU);
    /// `cosched clean` removes the bridge and files it left.</summary>
    [QemuFact]
    public void CleanRemovesWhatASigkilledLauncherOfGuestsLeft()
    {
        using var launcher = Cli.Start(["run", "-n", "2", "--vms", "2", "--vm-kind", "qemu", "--", .. Cli.TestRank("storm", "600")]);
        _ = launcher.StandardOutput.ReadToEndAsync();
        string? job = null;
        while (launcher.StandardError.ReadLine() is { } line)
        {
            if (line.StartsWith("cosched: job ", StringComparison.Ordinal)) job = Cli.JobOf(line);
            if (line.StartsWith("test rank: job", StringComparison.Ordinal)) break;
        }
        Assert.NotNull(job);
        _ = launcher.StandardError.ReadToEndAsync();
        launcher.Kill();
        launcher.WaitForExit();
        Assert.NotEmpty(Cli.Leftovers(job));
        var clean = Run("clean");
        Assert.Equal(0, clean.ExitCode);
        Assert.Empty(Cli.LeftoversAfterSettling(job));
    }

    /// <summary>A guest that does not boot: one error line naming the VM and why, within the boot limit.</summary>
    [QemuFact]
    public void AGuestThatDoesNotBootFailsInTimeWithOneLine()
    {
        var clock = Stopwatch.StartNew();
        var result = RunWith(new Dictionary<string, string> { ["COSCHED_QEMU_BOOT_TIMEOUT_S"] = "1" }, ["run", "-n", "2", "--vms", "2", "--vm-kind", "qemu", "--", .. Cli.TestRank("hello")]);
        Assert.Equal(1, result.ExitCode);
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("cosched: building the guest image", StringComparison.Ordinal)).ToArray();
        Assert.Single(errors);
        Assert.Matches(@"^cosched: VM 0 did not boot \(no answer from its agent within 1 s\)", errors[0]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed.TotalSeconds:0} s");

        var missing = RunWith(new Dictionary<string, string> { ["COSCHED_GUEST_KERNEL"] = "/nonexistent/vmlinuz" }, ["run", "-n", "2", "--vms", "2", "--vm-kind", "qemu", "--", .. Cli.TestRank("hello")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("cosched: the guest kernel /nonexistent/vmlinuz (COSCHED_GUEST_KERNEL) does not exist", missing.Error.Trim());
    }

    /// <summary>`cosched vm image` builds (or finds) the image and names what is in it: the kernel,
    /// the initramfs, the disk with the .NET runtime and the program's directory; `cosched doctor`
    /// says which accelerator the guests get.</summary>
    [QemuFact]
    public void VmImageDescribesTheImageAndDoctorNamesTheAccelerator()
    {
        var program = Cli.TestRank()[1];
        var image = Run("vm", "image", "--program", program);
        Assert.True(image.ExitCode == 0, image.Error);
        foreach (var line in new[] { "image:", "kernel:    /boot/vmlinuz-", "initramfs: ", "disk:      " })
            Assert.Contains(line, image.Output);
        Assert.Contains($"  {Path.GetDirectoryName(program)}\n", image.Output);
        Assert.Contains("Microsoft.NETCore.App", image.Output);

        var missing = Run("vm", "image", "--program", "/nonexistent/program");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("cosched: no such program '/nonexistent/program'", missing.Error.Trim());

        var doctor = Run("doctor");
        Assert.Equal(0, doctor.ExitCode);
        Assert.Matches(@"(?m)^qemu: +QEMU .*, accelerator (kvm|tcg)", doctor.Output);
    }

    /// <summary>What the qemu provider cannot do is refused before any guest boots, in one line.</summary>
    [QemuTheory]
    [InlineData("mpirun -n 2 --vms 2 --vm-kind qemu -- /bin/true", "QEMU guests (--vm-kind qemu) run Cosched's own ranks only")]
    [InlineData("run -n 2 --vms 2 --vm-memory 256 --vm-kind namespace -- /bin/true", "--vm-memory sizes QEMU guests: it needs --vm-kind qemu")]
    [InlineData("run -n 2 --vms 2 --vm-memory 64 --vm-kind qemu -- /bin/true", "--vm-memory must be between 128 and 1048576 MiB (got 64)")]
    [InlineData("run -n 2 --vms 2 --vm-kind qemu -- /nonexistent/program", "cannot start '/nonexistent/program': no such program on this host")]
    public void WhatGuestsCannotDoIsRefusedInOneLine(string command, string message)
    {
        var result = Run(command.Split(' '));
        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cosched: ", line);
        Assert.Contains(message, line);
    }
}

/// <summary>A fact that needs root and QEMU (the qemu provider); skipped with the reason otherwise.</summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute()
    {
        if (QemuSupport.Missing is { } why) Skip = why;
    }
}

/// <summary>A theory that needs root and QEMU; skipped with the reason otherwise.</summary>
public sealed class QemuTheoryAttribute : TheoryAttribute
{
    public QemuTheoryAttribute()
    {
        if (QemuSupport.Missing is { } why) Skip = why;
    }
}

internal static class QemuSupport
{
    public static string? Missing => !Cli.IsRoot ? "the qemu provider needs root; run the tests as root to check it"
        : QemuHost.Missing() is { } missing ? $"{missing}; CI installs them" : null;
}
