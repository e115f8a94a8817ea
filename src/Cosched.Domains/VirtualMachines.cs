namespace Cosched.Domains;

/// <summary>The VMs of one job on this host, made by one provider; disposing removes every
/// resource they hold.</summary>
public abstract class VirtualMachines : IDisposable
{
    protected VirtualMachines(string job, int count)
    {
        Job = job;
        Count = count;
    }

    public string Job { get; }
    public int Count { get; }
    public abstract VmKind Kind { get; }

    /// <summary>True when the VMs do not isolate anything (every output must say so).</summary>
    public abstract bool IsEmulation { get; }

    /// <summary>One line for the user: which provider, and what it gives.</summary>
    public abstract string Describe();

    /// <summary>Something on this host that may keep the VMs from working as promised (one line), or null.</summary>
    public virtual string? Warning => null;

    /// <summary>Where the launcher creates VM <paramref name="vm"/>'s segment, seen from the host.</summary>
    public abstract string VmSegmentOnHost(int vm);

    /// <summary>The same segment as the VM's ranks see it.</summary>
    public abstract string VmSegmentInVm(int vm);

    /// <summary>The host segment of VM <paramref name="vm"/>'s current host, as its ranks see it (null: no host segment).</summary>
    public abstract string? HostSegmentInVm(int vm);

    /// <summary>Moves VM <paramref name="vm"/> to a host with the given cores and host segment (its
    /// file on the host; null: none): the VM's cpuset becomes <paramref name="cores"/> and the VM sees
    /// the destination's host segment instead of the source's. Processes and memory stay where they
    /// are. Returns one line saying what moved.</summary>
    public abstract string MoveVm(int vm, int[] cores, string? hostSegment);

    /// <summary>Address the VM's ranks bind their tcp listener to.</summary>
    public virtual string BindAddress(int vm) => "127.0.0.1";

    /// <summary>Command line that starts <paramref name="command"/> inside VM <paramref name="vm"/>.</summary>
    public virtual IReadOnlyList<string> Wrap(int vm, IReadOnlyList<string> command) => command;

    /// <summary>The cgroup directory that holds VM <paramref name="vm"/>'s processes (its cpuset), or
    /// null: for processes started by someone else's launcher (Open MPI's daemons), which must join it.</summary>
    public virtual string? CgroupDirectory(int vm) => null;

    /// <summary>Called with each rank's process id once it started (cgroups, bookkeeping).</summary>
    public virtual void Adopt(int vm, int pid) { }

    /// <summary>True when the provider starts ranks itself (<see cref="StartRank"/>: in a guest with
    /// its own kernel) instead of the launcher starting <see cref="Wrap"/>'s command on this host.</summary>
    public virtual bool StartsRanks => false;

    /// <summary>Starts a rank inside VM <paramref name="vm"/> (providers whose <see cref="StartsRanks"/> is true).</summary>
    public virtual IRankProcess StartRank(int vm, RankLaunch launch) => throw new NotSupportedException($"the {Kind.Name()} provider does not start ranks itself");

    /// <summary>Makes VM <paramref name="vm"/>'s own segment at <paramref name="path"/> (as the VM sees
    /// it) inside the VM, for providers whose VMs the host cannot reach into (a QEMU guest's /dev/shm).</summary>
    public virtual void MakeVmSegment(int vm, string path, int ranks, int ringBytes) =>
        throw new NotSupportedException($"the {Kind.Name()} provider's VM segments are made from the host");

    /// <summary>A host address the VMs reach the launcher at over the job's network (a QEMU guest
    /// sees no host socket file), or null: they reach its Unix sockets.</summary>
    public virtual string? ManagementAddress => null;

    /// <summary>The hypervisor's own figures of the last <see cref="MoveVm"/>, where it migrated memory (qemu).</summary>
    public virtual Qemu.QemuMigration? LastMigration => null;

    public abstract void Dispose();

    /// <summary>Creates <paramref name="count"/> VMs of <paramref name="kind"/> (resolved) for a job.</summary>
    /// <param name="hostSegmentOfVm">Each VM's host segment: the file on the host of the host it starts
    /// on, created before the VMs (null, or a null entry: none).</param>
    public static VirtualMachines Create(VmKind kind, string job, int count, string?[]? hostSegmentOfVm, int launcherPid, int[][]? cores = null, VmOptions? options = null)
    {
        var segments = hostSegmentOfVm ?? new string?[count];
        return VmKinds.Resolve(kind) switch
        {
            VmKind.Namespace => NamespaceMachines.Create(job, count, segments, launcherPid, cores),
            VmKind.Qemu => Qemu.QemuMachines.Create(job, count, segments, launcherPid,
                cores ?? Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Environment.ProcessorCount).ToArray()).ToArray(), options ?? new VmOptions()),
            _ => new ProcessMachines(job, count, segments),
        };
    }
}

/// <summary>What only some providers use: the qemu provider's guest image and memory.</summary>
public sealed record VmOptions
{
    /// <summary>Host files the job's command names (its program): their directories go into the guest image.</summary>
    public IReadOnlyList<string> ProgramPaths { get; init; } = [];
    /// <summary>Memory of each guest in MiB (0: 512 MiB per core of the VM).</summary>
    public int MemoryMiB { get; init; }
    /// <summary>Where progress lines go (building an image); null: stderr.</summary>
    public Action<string>? Log { get; init; }
    /// <summary>Ends a slow start (guests booting) at once: Create throws OperationCanceledException.</summary>
    public CancellationToken Cancel { get; init; }
}
