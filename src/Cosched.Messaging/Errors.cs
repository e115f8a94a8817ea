namespace Cosched.Messaging;

/// <summary>Base of every error the runtime reports to a program.</summary>
public class MessagingException(string message) : Exception(message);

/// <summary>A message is larger than the buffer posted to receive it (MPI_ERR_TRUNCATE).</summary>
public sealed class MessageTruncatedException(string message) : MessagingException(message);

/// <summary>A peer went away or its channel broke.</summary>
public sealed class PeerLostException(string message) : MessagingException(message);

/// <summary>Start-up of the job failed (bootstrap, segment, connections).</summary>
public sealed class BootstrapException(string message) : MessagingException(message);

/// <summary>This rank was stopped because another rank of the job failed.</summary>
public sealed class JobAbortedException(string message) : MessagingException(message);
