namespace Cosched.Messaging.Migration;

/// <summary>The launcher's line of commands to one rank and the rank's answers (the migration
/// protocol, see docs/MIGRATION.md): over the bootstrap connection, or in memory for in-process jobs.</summary>
internal interface IControlLink
{
    /// <summary>Takes the next command that has arrived, if any (never blocks).</summary>
    bool TryReceive(out string line);

    /// <summary>Sends one answer line to the launcher.</summary>
    void Send(string line);

    /// <summary>Called from the link's own thread after a command arrived (wakes a sleeping rank).</summary>
    Action? Arrived { set; }
}
