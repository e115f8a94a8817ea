namespace Cosched.Study.Running;

/// <summary>Which MPI library a program was linked against, as the dynamic loader resolves it
/// (`ldd`): Cosched's libmpi.so (from its .build/mpi/lib) or Open MPI's libmpi.so.40.
/// The study checks an IMB-MPI1 with it, so that one built with the other MPI's wrapper is refused
/// before it is measured under the wrong name.</summary>
public static class MpiLinkage
{
    /// <summary>Cosched's, Open MPI's, or null: not a dynamic program, or linked against neither.</summary>
    public static string? Of(string program)
    {
        try
        {
            var result = ChildProcess.Run(["ldd", program], TimeSpan.FromSeconds(20));
            return result.ExitCode == 0 ? FromLdd(result.Output) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;   // no ldd here: nothing to check against
        }
    }

    /// <summary>Reads ldd's lines (`libmpi.so.40 => /usr/lib/x86_64-linux-gnu/libmpi.so.40 (0x...)`).</summary>
    public static string? FromLdd(string output)
    {
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("libmpi.so.40 ", StringComparison.Ordinal)) return Plan.Configuration.OpenMpi;
            // Only Cosched's library has no version in its name (Open MPI's is .40, MPICH's .12).
            if (line.StartsWith("libmpi.so ", StringComparison.Ordinal)) return Plan.Configuration.Cosched;
        }
        return null;
    }
}
