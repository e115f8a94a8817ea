using System.Diagnostics;

namespace Cosched.Domains.Qemu;

/// <summary>What this host offers the qemu provider: QEMU, a guest kernel, busybox, and which
/// accelerator really runs a guest here (KVM only when a probe boot shows it works: on a host that
/// is itself a VM, /dev/kvm may exist while a KVM guest hangs once its kernel leaves real mode).</summary>
public static class QemuHost
{
    public static string? Qemu => HostSupport.FindTool("qemu-system-x86_64");

    public static string? Busybox =>
        new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists) is { } path && IsStatic(path) ? path : null;

    /// <summary>The guest kernel: COSCHED_GUEST_KERNEL, else the newest Debian cloud kernel in /boot
    /// (its modules must be in /lib/modules: the guest loads virtio from them).</summary>
    public static string? Kernel =>
        Environment.GetEnvironmentVariable("COSCHED_GUEST_KERNEL") is { Length: > 0 } chosen ? chosen
        : Directory.Exists("/boot") ? Directory.GetFiles("/boot", "vmlinuz-*-cloud-amd64").Where(k => Directory.Exists(ModulesOf(k))).Order(StringComparer.Ordinal).LastOrDefault()
        : null;

    /// <summary>/lib/modules/VERSION of /boot/vmlinuz-VERSION.</summary>
    public static string ModulesOf(string kernel) => Path.Combine("/lib/modules", Path.GetFileName(kernel) is var name && name.StartsWith("vmlinuz-", StringComparison.Ordinal) ? name["vmlinuz-".Length..] : name);

    /// <summary>What is missing for the qemu provider (one line naming the packages), or null.</summary>
    public static string? Missing()
    {
        var missing = new List<string>();
        if (Qemu == null) missing.Add("qemu-system-x86");
        if (Kernel == null) missing.Add("linux-image-cloud-amd64");
        if (Busybox == null) missing.Add("busybox-static");
        if (HostSupport.FindTool("mke2fs") == null) missing.Add("e2fsprogs");
        if (HostSupport.FindTool("cpio") == null) missing.Add("cpio");
        if (missing.Count > 0) return $"the qemu provider needs {string.Join(", ", missing)} (apt-get install -y {string.Join(' ', missing)})";
        if (!File.Exists(Kernel)) return $"the guest kernel {Kernel} (COSCHED_GUEST_KERNEL) does not exist";
        if (!File.Exists(Path.Combine(ModulesOf(Kernel!), "modules.dep")))
            return $"the guest kernel {Kernel} has no modules in {ModulesOf(Kernel!)} (the guest loads virtio from there)";
        return null;
    }

    private static bool IsStatic(string path)
    {
        // A dynamically linked busybox would need the host's libc inside the initramfs.
        var (code, output, _) = Shell.TryRun("file", "-L", path);
        return code != 0 || !output.Contains("dynamically linked");
    }

    private static readonly Lock AcceleratorGate = new();
    private static string? _accelerator;

    /// <summary>"kvm" or "tcg": COSCHED_QEMU_ACCEL when set; else KVM when /dev/kvm exists and a probe
    /// boot of <paramref name="image"/> under KVM reaches the guest's init; else TCG. The probe's
    /// answer is kept for this boot of the host in /run/cosched.</summary>
    public static string Accelerator(GuestImage image)
    {
        var forced = Environment.GetEnvironmentVariable("COSCHED_QEMU_ACCEL");
        if (forced is "kvm" or "tcg") return forced;
        lock (AcceleratorGate)
        {
            if (_accelerator != null) return _accelerator;
            if (!File.Exists("/dev/kvm")) return _accelerator = "tcg";
            var cache = Path.Combine(NamespaceMachines.RunRoot, "qemu-accelerator");
            var boot = File.Exists("/proc/sys/kernel/random/boot_id") ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : "";
            if (File.Exists(cache) && File.ReadAllText(cache).Split(' ') is [var id, var known] && id == boot) return _accelerator = known;
            _accelerator = ProbeKvm(image) ? "kvm" : "tcg";
            Directory.CreateDirectory(NamespaceMachines.RunRoot);
            File.WriteAllText(cache, $"{boot} {_accelerator}");
            return _accelerator;
        }
    }

    /// <summary>Boots the image's kernel and initramfs under KVM with cosched.probe=1: its init prints
    /// the probe word and powers off at once.</summary>
    private static bool ProbeKvm(GuestImage image)
    {
        var info = new ProcessStartInfo(Qemu!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nodefaults", "-no-user-config", "-display", "none", "-machine", "pc,accel=kvm", "-cpu", "host", "-m", "256",
                     "-kernel", image.Kernel, "-initrd", image.Initrd, "-append", $"console=ttyS0 quiet panic=-1 {GuestImage.ProbeArgument}",
                     "-serial", "stdio", "-no-reboot" })
            info.ArgumentList.Add(a);
        using var qemu = Process.Start(info)!;
        var output = qemu.StandardOutput.ReadToEndAsync();
        _ = qemu.StandardError.ReadToEndAsync();
        bool ended = qemu.WaitForExit(TimeSpan.FromSeconds(15));
        if (!ended)
        {
            try { qemu.Kill(); } catch (InvalidOperationException) { }
            qemu.WaitForExit(2000);
        }
        return ended && output.Wait(1000) && output.Result.Contains(GuestImage.ProbeAnswer);
    }

    /// <summary>One line for `cosched doctor`.</summary>
    public static string Describe()
    {
        if (Missing() is { } missing) return $"not available: {missing}";
        if (!HostSupport.IsRoot) return "not available: the qemu provider needs root (taps on the job's bridge)";
        var version = Shell.TryRun(Qemu!, "--version").Output.Split('\n').FirstOrDefault()?.Replace("QEMU emulator version ", "QEMU ") ?? "QEMU";
        string accel;
        try { accel = Accelerator(GuestImage.Ensure([], log: null)); }
        catch (DomainException e) { return $"{version}, kernel {Path.GetFileName(Kernel)}: cannot build the guest image: {e.Message}"; }
        return $"{version}, kernel {Path.GetFileName(Kernel)}, accelerator {accel}" +
            (accel == "tcg" ? (File.Exists("/dev/kvm") ? " (/dev/kvm exists but a KVM probe guest did not boot)" : " (no /dev/kvm)") + ": guests are emulated, much slower than the host" : "");
    }
}
