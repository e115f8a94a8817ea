namespace Cosched.Messaging.Collectives.Bcast;

/// <summary>Pipelined chain broadcast: the message travels root, root+1, ... in segments, each rank
/// forwarding segment k while it receives segment k+1; for long messages on many ranks the time
/// approaches one transfer of n bytes plus p-1 segment hops.</summary>
internal static unsafe class Pipeline
{
    /// <summary>Segment size: large enough to amortise per-message costs, small enough to keep every link busy.</summary>
    public static long SegmentBytes = Tuning.Int("COSCHED_BCAST_SEGMENT", 64 * 1024);

    public static void Run(Communicator comm, byte* buffer, long bytes, int root, int tag)
    {
        int p = comm.Size, me = comm.Rank;
        if (p == 1) return;
        int relative = (me - root + p) % p;
        int previous = (me - 1 + p) % p, next = (me + 1) % p;
        bool receives = relative != 0, forwards = relative != p - 1;
        long segment = Math.Max(1, SegmentBytes);
        long segments = Math.Max(1, (bytes + segment - 1) / segment);

        Request? receive = null, send = null;
        if (receives) receive = comm.StartReceiveBytes(buffer, Math.Min(segment, bytes), previous, tag);
        for (long k = 0; k < segments; k++)
        {
            long offset = k * segment, length = Math.Min(segment, bytes - offset);
            if (receives)
            {
                comm.Finish(receive!);
                receive = null;
                if (k + 1 < segments)
                {
                    long nextOffset = offset + segment;
                    receive = comm.StartReceiveBytes(buffer + nextOffset, Math.Min(segment, bytes - nextOffset), previous, tag);
                }
            }
            if (forwards)
            {
                if (send != null) comm.Finish(send);
                send = comm.StartSendBytes(buffer + offset, length, next, tag);
            }
        }
        if (send != null) comm.Finish(send);
    }
}
