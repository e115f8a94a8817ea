namespace Cosched.Messaging.Protocol;

/// <summary>Where a <see cref="Request"/> is in its protocol.</summary>
internal enum RequestState : byte
{
    /// <summary>Send waiting in the peer's queue for its Eager or ReadyToSend frame to be written.</summary>
    Queued,
    /// <summary>Receive posted, nothing matched yet.</summary>
    Posted,
    /// <summary>Large send: ReadyToSend written, waiting for ClearToSend.</summary>
    AwaitingClearance,
    /// <summary>Large send streaming Data frames, or large receive taking them.</summary>
    Streaming,
    Completed,
}
