using System.Runtime.InteropServices;
using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>Completing requests: Wait/Test and their all/any/some forms, Request_free, Cancel.
/// A completed request's handle becomes MPI_REQUEST_NULL; null handles count as complete.</summary>
internal static unsafe class RequestCalls
{
    /// <summary>Finishes the request at <paramref name="handle"/> (which must be done) and nulls the handle.</summary>
    private static MpiStatus Finish(int* handle, Messaging.Status status)
    {
        var entry = MpiSession.Requests.Get(*handle);
        var result = entry.Request == null || entry.Status.Cancelled != 0 ? entry.Status : entry.Complete(status);
        MpiSession.Requests.Remove(*handle);
        *handle = Constants.RequestNull;
        return result;
    }

    private static MpiStatus WaitOne(int* handle)
    {
        if (*handle == Constants.RequestNull) return MpiStatus.Empty;
        var entry = MpiSession.Requests.Get(*handle);
        var status = entry.Request?.Wait() ?? default;
        return Finish(handle, status);
    }

    private static bool TestOne(int* handle, out MpiStatus result)
    {
        result = MpiStatus.Empty;
        if (*handle == Constants.RequestNull) return true;
        var entry = MpiSession.Requests.Get(*handle);
        Messaging.Status status = default;
        if (entry.Request != null && !entry.Request.Test(out status)) return false;
        result = Finish(handle, status);
        return true;
    }

    private static void StoreAt(MpiStatus* statuses, int index, in MpiStatus status)
    {
        if (statuses != null && (nint)statuses != Constants.StatusIgnore) statuses[index] = status;
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Wait")]
    public static int Wait(int* request, MpiStatus* status)
    {
        try
        {
            MpiSession.Check();
            MpiStatus.Store(status, WaitOne(request));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Wait", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Waitall")]
    public static int Waitall(int count, int* requests, MpiStatus* statuses)
    {
        try
        {
            MpiSession.Check();
            for (int i = 0; i < Buffers.Count(count); i++) StoreAt(statuses, i, WaitOne(requests + i));
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Waitall", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Waitany")]
    public static int Waitany(int count, int* requests, int* index, MpiStatus* status)
    {
        try
        {
            MpiSession.Check();
            *index = WaitAny(count, requests, out var result);
            MpiStatus.Store(status, result);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Waitany", 0, e); }
    }

    /// <summary>Waits for one of the active requests; MPI_UNDEFINED when none is active.</summary>
    private static int WaitAny(int count, int* requests, out MpiStatus result)
    {
        var active = new List<int>();
        var pending = new List<Request>();
        for (int i = 0; i < Buffers.Count(count); i++)
        {
            if (requests[i] == Constants.RequestNull) continue;
            var entry = MpiSession.Requests.Get(requests[i]);
            if (entry.IsDone) // a request to MPI_PROC_NULL, or one already done: no need to wait
            {
                result = Finish(requests + i, entry.Request is { } r && r.Test(out var s) ? s : default);
                return i;
            }
            active.Add(i);
            pending.Add(entry.Request!);
        }
        if (active.Count == 0)
        {
            result = MpiStatus.Empty;
            return Constants.Undefined;
        }
        int which = Communicator.WaitAny([.. pending], out var status);
        result = Finish(requests + active[which], status);
        return active[which];
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Waitsome")]
    public static int Waitsome(int incount, int* requests, int* outcount, int* indices, MpiStatus* statuses)
    {
        try
        {
            MpiSession.Check();
            int first = WaitAny(incount, requests, out var status);
            if (first == Constants.Undefined)
            {
                *outcount = Constants.Undefined;
                return 0;
            }
            int n = 0;
            indices[n] = first;
            StoreAt(statuses, n++, status);
            for (int i = 0; i < incount; i++)
                if (requests[i] != Constants.RequestNull && TestOne(requests + i, out var more))
                {
                    indices[n] = i;
                    StoreAt(statuses, n++, more);
                }
            *outcount = n;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Waitsome", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Test")]
    public static int Test(int* request, int* flag, MpiStatus* status)
    {
        try
        {
            MpiSession.Check();
            bool done = TestOne(request, out var result);
            *flag = done ? 1 : 0;
            if (done) MpiStatus.Store(status, result);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Test", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Testall")]
    public static int Testall(int count, int* requests, int* flag, MpiStatus* statuses)
    {
        try
        {
            MpiSession.Check();
            // All or nothing: no request is completed unless every one can be.
            for (int i = 0; i < Buffers.Count(count); i++)
            {
                if (requests[i] == Constants.RequestNull) continue;
                var entry = MpiSession.Requests.Get(requests[i]);
                if (entry.Request != null && !entry.Request.IsCompleted && !entry.Request.Test(out _))
                {
                    *flag = 0;
                    return 0;
                }
            }
            for (int i = 0; i < count; i++) StoreAt(statuses, i, WaitOne(requests + i));
            *flag = 1;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Testall", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Testany")]
    public static int Testany(int count, int* requests, int* index, int* flag, MpiStatus* status)
    {
        try
        {
            MpiSession.Check();
            bool anyActive = false;
            for (int i = 0; i < Buffers.Count(count); i++)
            {
                if (requests[i] == Constants.RequestNull) continue;
                anyActive = true;
                if (TestOne(requests + i, out var result))
                {
                    *index = i;
                    *flag = 1;
                    MpiStatus.Store(status, result);
                    return 0;
                }
            }
            *index = Constants.Undefined;
            *flag = anyActive ? 0 : 1;
            if (!anyActive) MpiStatus.Store(status, MpiStatus.Empty);
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Testany", 0, e); }
    }

    /// <summary>The request goes on by itself (the engine completes it); only the handle goes.</summary>
    [UnmanagedCallersOnly(EntryPoint = "MPI_Request_free")]
    public static int RequestFree(int* request)
    {
        try
        {
            MpiSession.Check();
            MpiSession.Requests.Remove(*request);
            *request = Constants.RequestNull;
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Request_free", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Cancel")]
    public static int Cancel(int* request)
    {
        try
        {
            MpiSession.Check();
            var entry = MpiSession.Requests.Get(*request);
            if (entry.Request != null && Communicator.Cancel(entry.Request))
                entry.Status = entry.Status with { Cancelled = 1 };
            return 0;
        }
        catch (Exception e) { return Errors.Fail("MPI_Cancel", 0, e); }
    }

    [UnmanagedCallersOnly(EntryPoint = "MPI_Test_cancelled")]
    public static int TestCancelled(MpiStatus* status, int* flag)
    {
        *flag = status->Cancelled;
        return 0;
    }
}
