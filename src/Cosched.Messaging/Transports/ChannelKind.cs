namespace Cosched.Messaging.Transports;

/// <summary>What serves one pair of ranks: the protocol layer and the collectives' topology reason
/// about this value, never about a channel's display name.</summary>
internal enum ChannelKind : byte
{
    /// <summary>The rank itself (no channel).</summary>
    Self = 0,
    /// <summary>Shared memory inside one VM (or natively on one host): the VM's own segment.</summary>
    Shm = 1,
    /// <summary>Shared memory between VMs of one host: the host segment, the ivshmem analogue.</summary>
    ShmHost = 2,
    /// <summary>The VM network (or loopback natively).</summary>
    Tcp = 3,
}

internal static class ChannelKinds
{
    /// <summary>Shown to users: "shm" for both shared-memory kinds (as Open MPI's vader), "tcp".</summary>
    public static string Name(this ChannelKind kind) => kind switch
    {
        ChannelKind.Self => "self",
        ChannelKind.Shm or ChannelKind.ShmHost => "shm",
        _ => "tcp",
    };

    /// <summary>Which way frames travel, for --report-bindings: tells the host segment from the VM's.</summary>
    public static string Route(this ChannelKind kind) => kind == ChannelKind.ShmHost ? "shm-host" : kind.Name();

    public static bool IsSharedMemory(this ChannelKind kind) => kind is ChannelKind.Shm or ChannelKind.ShmHost;
}
