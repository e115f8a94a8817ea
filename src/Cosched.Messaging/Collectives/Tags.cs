namespace Cosched.Messaging.Collectives;

/// <summary>Tags of the collectives on a communicator's collective context: one per collective, so
/// that messages of consecutive collectives can never match each other's receives.</summary>
internal static class Tags
{
    public const int Barrier = 1;
    public const int Bcast = 2;
    public const int Reduce = 3;
    public const int Allreduce = 4;
    public const int Gather = 5;
    public const int Gatherv = 6;
    public const int Scatter = 7;
    public const int Scatterv = 8;
    public const int Allgather = 9;
    public const int Allgatherv = 10;
    public const int Alltoall = 11;
    public const int Alltoallv = 12;
    public const int ReduceScatter = 13;
    public const int ReduceScatterBlock = 14;
    public const int Scan = 15;
    public const int Exscan = 16;
}
