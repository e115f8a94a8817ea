namespace Cosched.Messaging.Transports;

/// <summary>A reliable, ordered pipe of frames to one peer (send side) and from it (receive side).
/// The protocol layer holds one per peer and may replace it while the job runs.</summary>
internal unsafe interface IChannel : IDisposable
{
    /// <summary>What serves the pair: the VM's segment, the host segment, or the network.</summary>
    ChannelKind Kind { get; }

    /// <summary>Largest payload one frame may carry; larger messages are split into Data frames.</summary>
    int MaxPayload { get; }

    /// <summary>Appends one frame, or returns false when the pipe is full right now.</summary>
    bool TryWrite(in FrameHeader header, byte* payload, int length);

    /// <summary>Looks at the next incoming frame without consuming it. The payload pointer stays
    /// valid until <see cref="Consume"/>.</summary>
    bool TryPeek(out FrameHeader header, out byte* payload, out int length);

    /// <summary>Releases the frame returned by the last successful <see cref="TryPeek"/>.</summary>
    void Consume();

    /// <summary>Pushes out bytes a partial write left behind; true when nothing is pending.</summary>
    bool Flush();

    /// <summary>True while part of an accepted frame still waits to go out: the protocol layer must
    /// keep calling <see cref="Flush"/> even when it has no frames of its own to write.</summary>
    bool HasUnsentBytes { get; }

    /// <summary>True when the peer runs under the same kernel and in the same VM, so a large message
    /// may be copied once, straight from the sender's memory (never across VMs: see DESIGN).</summary>
    bool SingleCopy { get; }

    /// <summary>File descriptor to poll for incoming data when blocking, or -1 if the channel
    /// wakes its receiver through the shared doorbell instead.</summary>
    int PollDescriptor { get; }
}
