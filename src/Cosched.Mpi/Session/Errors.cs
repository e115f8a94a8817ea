using Cosched.Messaging;

namespace Cosched.Mpi;

/// <summary>How an MPI call reports an error: the communicator's handler decides (MPI_ERRORS_ARE_FATAL,
/// the default: one line on stderr and the rank ends, which ends the job; MPI_ERRORS_RETURN: the
/// error class is returned).</summary>
internal static class Errors
{
    /// <summary>The error of <paramref name="function"/>, reported as the handler of communicator
    /// <paramref name="comm"/> says (0: none, MPI_COMM_WORLD's applies); returns the code.</summary>
    public static int Fail(string function, int comm, Exception error)
    {
        var (code, message) = Classify(error);
        int handler = Constants.ErrorsAreFatal;
        if (MpiSession.Initialized && !MpiSession.Finalized)
        {
            // A call on a communicator that does not exist reports as MPI_COMM_WORLD's handler says.
            handler = (MpiSession.Comms.Find(comm) ?? MpiSession.Comms.Get(Constants.CommWorld)).Errhandler;
        }
        if (handler == Constants.ErrorsReturn) return (int)code;
        if (handler != Constants.ErrorsAreFatal)
        {
            ErrorHandlers.User.Get(handler).Call(comm == Constants.CommNull ? Constants.CommWorld : comm, (int)code);
            return (int)code;
        }
        var line = $"cosched: {function}: {message} ({Name(code)}); ending the job (MPI_ERRORS_ARE_FATAL)";
        Console.Error.WriteLine(line);
        Console.Error.Flush();
        Runtime.AbortJob(1, line);
        MpiSession.ExitNow(1);
        return (int)code;
    }

    private static (ErrorClass, string) Classify(Exception error) => error switch
    {
        MpiException e => (e.Error, e.Message),
        MessageTruncatedException e => (ErrorClass.Truncate, e.Message),
        ArgumentOutOfRangeException { ParamName: "dest" or "source" or "root" } e => (e.ParamName == "root" ? ErrorClass.Root : ErrorClass.Rank, FirstLine(e)),
        ArgumentOutOfRangeException { ParamName: "tag" or "sendTag" or "receiveTag" } e => (ErrorClass.Tag, FirstLine(e)),
        ArgumentException e => (ErrorClass.Arg, FirstLine(e)),
        NotSupportedException e => (ErrorClass.Op, e.Message),
        OverflowException e => (ErrorClass.Count, e.Message),
        MessagingException e => (ErrorClass.Other, e.Message),
        _ => (ErrorClass.Intern, $"{error.GetType().Name}: {error.Message}"),
    };

    /// <summary>ArgumentException appends "(Parameter 'x')" on a second line: one line is enough.</summary>
    private static string FirstLine(ArgumentException e) => e.Message.Split('\n')[0].Replace($" (Parameter '{e.ParamName}')", "");

    public static string Name(ErrorClass code) => code switch
    {
        ErrorClass.Success => "MPI_SUCCESS",
        ErrorClass.UnsupportedOperation => "MPI_ERR_UNSUPPORTED_OPERATION",
        ErrorClass.InStatus => "MPI_ERR_IN_STATUS",
        ErrorClass.LastCode => "MPI_ERR_LASTCODE",
        _ => "MPI_ERR_" + code.ToString().ToUpperInvariant(),
    };

    /// <summary>MPI_Error_string's text for a code.</summary>
    public static string Describe(int code) => (ErrorClass)code switch
    {
        ErrorClass.Success => "MPI_SUCCESS: no error",
        ErrorClass.Buffer => "MPI_ERR_BUFFER: invalid buffer pointer",
        ErrorClass.Count => "MPI_ERR_COUNT: invalid count argument",
        ErrorClass.Type => "MPI_ERR_TYPE: invalid datatype",
        ErrorClass.Tag => "MPI_ERR_TAG: invalid tag",
        ErrorClass.Comm => "MPI_ERR_COMM: invalid communicator",
        ErrorClass.Rank => "MPI_ERR_RANK: invalid rank",
        ErrorClass.Request => "MPI_ERR_REQUEST: invalid request",
        ErrorClass.Root => "MPI_ERR_ROOT: invalid root",
        ErrorClass.Group => "MPI_ERR_GROUP: invalid group",
        ErrorClass.Op => "MPI_ERR_OP: invalid reduce operation",
        ErrorClass.Arg => "MPI_ERR_ARG: invalid argument of some other kind",
        ErrorClass.Truncate => "MPI_ERR_TRUNCATE: message truncated",
        ErrorClass.Other => "MPI_ERR_OTHER: known error not in this list",
        ErrorClass.Intern => "MPI_ERR_INTERN: internal error",
        ErrorClass.InStatus => "MPI_ERR_IN_STATUS: error code is in status",
        ErrorClass.Pending => "MPI_ERR_PENDING: pending request",
        ErrorClass.UnsupportedOperation => "MPI_ERR_UNSUPPORTED_OPERATION: operation not supported by Cosched",
        ErrorClass.Unknown => "MPI_ERR_UNKNOWN: unknown error",
        _ => $"unknown error code {code}",
    };
}
