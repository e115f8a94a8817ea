using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>Blocking and non-blocking point-to-point, probes, MPI_PROC_NULL and the wildcards
/// (MPI_ANY_SOURCE and MPI_ANY_TAG are Cosched's own -1).</summary>
internal static unsafe class PointToPointCalls
{
    [UnmanagedCallersOnly(EntryPoint = "MPI_Send")]
    public static int Send(void* buf, int count, int type, int dest, int tag, int comm) => SendCore("MPI_Send", buf, count, type, dest, tag, comm);

    /// <summary>Returns only once the receiver has matched the message, whatever its size.</summary>
    [UnmanagedCallersOnly(EntryPoint = "MPI_Ssend")]
    public static int Ssend(void* buf, int count, int type, int dest, int tag, int comm) => SendCore("MPI_Ssend", buf, count, type, dest, tag, comm, synchronous: true);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Rsend")]
    public static int Rsend(void* buf, int count, int type, int dest, int tag, int comm) => SendCore("MPI_Rsend", buf, count, type, dest, tag, comm);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Bsend")]
    public static int Bsend(void* buf, int count, int type, int dest, int tag, int comm) => SendCore("MPI_Bsend", buf, count, type, dest, tag, comm);

    private static int SendCore(string function, void* buf, int count, int type, int dest, int tag, int comm, bool synchronous = false)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            if (dest == Constants.ProcNull) return 0;
            var data = Buffers.ToSend(buf, count, t, out var rented);
            try
            {
                if (synchronous) c.Ssend(data, dest, tag);
                else c.Send(data, dest, tag);
            }
            finally { Buffers.Return(rented); }
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Recv")]
    public static int Recv(void* buf, int count, int type, int source, int tag, int comm, MpiStatus* status)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            if (source == Constants.ProcNull)
            {
                MpiStatus.Store(status, MpiStatus.Empty);
                return 0;
            }
            var into = Buffers.ToReceive(buf, count, t, out var rented);
            var got = c.Recv(into, source, tag);
            Buffers.Finish(rented, got.Count, buf, t);
            MpiStatus.Store(status, MpiStatus.Of(got));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Recv", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Sendrecv")]
    public static int Sendrecv(void* sendbuf, int sendcount, int sendtype, int dest, int sendtag,
        void* recvbuf, int recvcount, int recvtype, int source, int recvtag, int comm, MpiStatus* status)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var st = Datatypes.Get(sendtype);
            var rt = Datatypes.Get(recvtype);
            var data = Buffers.ToSend(sendbuf, sendcount, st, out var sendRented);
            var into = Buffers.ToReceive(recvbuf, recvcount, rt, out var receiveRented);
            try
            {
                MpiStatus result;
                if (dest == Constants.ProcNull && source == Constants.ProcNull) result = MpiStatus.Empty;
                else if (dest == Constants.ProcNull) result = MpiStatus.Of(c.Recv(into, source, recvtag));
                else if (source == Constants.ProcNull)
                {
                    c.Send(data, dest, sendtag);
                    result = MpiStatus.Empty;
                }
                else result = MpiStatus.Of(c.Sendrecv(data, dest, sendtag, into, source, recvtag));
                Buffers.Finish(receiveRented, result.Bytes, recvbuf, rt);
                receiveRented = null;
                MpiStatus.Store(status, result);
            }
            finally
            {
                Buffers.Return(sendRented);
                Buffers.Return(receiveRented);
            }
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Sendrecv", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Sendrecv_replace")]
    public static int SendrecvReplace(void* buf, int count, int type, int dest, int sendtag, int source, int recvtag, int comm, MpiStatus* status)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            // The outgoing data is copied first: the incoming message lands in the same buffer.
            var outgoing = Buffers.ToSend(buf, count, t, out var rented).ToArray();
            Buffers.Return(rented);
            var into = Buffers.ToReceive(buf, count, t, out var receiveRented);
            MpiStatus result;
            if (dest == Constants.ProcNull && source == Constants.ProcNull) result = MpiStatus.Empty;
            else if (dest == Constants.ProcNull) result = MpiStatus.Of(c.Recv(into, source, recvtag));
            else if (source == Constants.ProcNull)
            {
                c.Send<byte>(outgoing, dest, sendtag);
                result = MpiStatus.Empty;
            }
            else result = MpiStatus.Of(c.Sendrecv<byte>(outgoing, dest, sendtag, into, source, recvtag));
            Buffers.Finish(receiveRented, result.Bytes, buf, t);
            MpiStatus.Store(status, result);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Sendrecv_replace", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Isend")]
    public static int Isend(void* buf, int count, int type, int dest, int tag, int comm, int* request) => IsendCore("MPI_Isend", buf, count, type, dest, tag, comm, request);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Issend")]
    public static int Issend(void* buf, int count, int type, int dest, int tag, int comm, int* request) => IsendCore("MPI_Issend", buf, count, type, dest, tag, comm, request, synchronous: true);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Irsend")]
    public static int Irsend(void* buf, int count, int type, int dest, int tag, int comm, int* request) => IsendCore("MPI_Irsend", buf, count, type, dest, tag, comm, request);

    private static int IsendCore(string function, void* buf, int count, int type, int dest, int tag, int comm, int* request, bool synchronous = false)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            int bytes = Buffers.Bytes(count, t);
            if (dest == Constants.ProcNull)
            {
                *request = MpiSession.Requests.Add(new RequestEntry { Status = MpiStatus.Empty });
                return 0;
            }
            ReadOnlyMemory<byte> data;
            if (t.IsContiguous) data = new CallerMemory((byte*)buf, bytes).Memory;
            else
            {
                var packed = new byte[bytes];
                fixed (byte* to = packed) t.Pack((byte*)buf, count, to);
                data = packed;
            }
            *request = MpiSession.Requests.Add(new RequestEntry { Request = synchronous ? c.Issend(data, dest, tag) : c.Isend(data, dest, tag) });
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Irecv")]
    public static int Irecv(void* buf, int count, int type, int source, int tag, int comm, int* request)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            var t = Datatypes.Get(type);
            int bytes = Buffers.Bytes(count, t);
            if (source == Constants.ProcNull)
            {
                *request = MpiSession.Requests.Add(new RequestEntry { Status = MpiStatus.Empty });
                return 0;
            }
            if (t.IsContiguous)
            {
                *request = MpiSession.Requests.Add(new RequestEntry { Request = c.Irecv(new CallerMemory((byte*)buf, bytes).Memory, source, tag) });
                return 0;
            }
            var staging = new byte[bytes];
            *request = MpiSession.Requests.Add(new RequestEntry
            {
                Request = c.Irecv<byte>(staging, source, tag), Staging = staging, UnpackType = t, UnpackTo = (byte*)buf,
            });
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Irecv", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Probe")]
    public static int Probe(int source, int tag, int comm, MpiStatus* status)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            MpiStatus.Store(status, source == Constants.ProcNull ? MpiStatus.Empty : MpiStatus.Of(c.Probe(source, tag)));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Probe", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Iprobe")]
    public static int Iprobe(int source, int tag, int comm, int* flag, MpiStatus* status)
    {
        try
        {
            var c = MpiSession.Comm(comm).Communicator;
            if (source == Constants.ProcNull)
            {
                *flag = 1;
                MpiStatus.Store(status, MpiStatus.Empty);
                return 0;
            }
            bool found = c.Iprobe(source, tag, out var got);
            *flag = found ? 1 : 0;
            if (found) MpiStatus.Store(status, MpiStatus.Of(got));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Iprobe", comm, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Get_count")]
    public static int GetCount(MpiStatus* status, int type, int* count) => CountOf("MPI_Get_count", status, type, count);

    [UnmanagedCallersOnly(EntryPoint = "MPI_Get_elements")]
    public static int GetElements(MpiStatus* status, int type, int* count) => CountOf("MPI_Get_elements", status, type, count);

    private static int CountOf(string function, MpiStatus* status, int type, int* count)
    {
        try
        {
            var t = Datatypes.Get(type);
            long bytes = status->Bytes;
            *count = t.Size == 0 ? 0 : bytes % t.Size == 0 ? checked((int)(bytes / t.Size)) : Constants.Undefined;
            return 0;
        }
        catch (Exception e) { return Errors.Fail(function, 0, e); }
    }
}
