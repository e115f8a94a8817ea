namespace Cosched.Messaging;

public sealed partial class Communicator
{
    /// <summary>Returns when every rank of the communicator has entered the barrier.</summary>
    public void Barrier() => Collectives.Barrier.Dissemination.Run(this, 1);
}
