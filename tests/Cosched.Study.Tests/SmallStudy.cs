using Cosched.Study.Store;
using Cosched.Tests.Shared;

namespace Cosched.Study.Tests;

/// <summary>One small study run end to end through `./cosched study` (2 ranks, native and 2 VMs, sizes
/// 0 to 8 bytes, two rounds), with an Open MPI peer whose "IMB" always fails, then resumed with three more workloads (allreduce, the BLAST search on 6 queries,
/// and the migration experiment).
/// Shared by the tests that check its report, database, failures and resume.</summary>
public sealed class SmallStudy : IDisposable
{
    private readonly TempDirectory directory = new();
    public string Out => Path.Combine(directory.Path, "study");
    internal CoschedCli.Result First { get; }
    internal CoschedCli.Result Resumed { get; }
    /// <summary>The runs table after the first study, before the resume.</summary>
    public IReadOnlyList<StoredRun> RunsAfterFirst { get; }

    public static readonly string[] Workloads = ["pingpong", "barrier", "alltoall"];

    public SmallStudy()
    {
        // A stand-in for IMB-MPI1 that fails the way a broken binary would: the peer's configurations fail.
        var imb = Path.Combine(directory.Path, "IMB-MPI1");
        File.WriteAllText(imb, "#!/bin/sh\necho 'IMB stand-in: always fails' >&2\nexit 3\n");
        File.SetUnixFileMode(imb, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string[] common = ["study", "-n", "2", "--vms", "0,2", "--msglog", "0:3", "--time", "0.02", "--rounds", "2", "--out", Out];
        First = CoschedCli.Run(TimeSpan.FromMinutes(5), [.. common, "--workloads", string.Join(',', Workloads), "--peer", "openmpi", "--imb", imb]);
        using (var store = ResultsStore.OpenExisting(Out))
            RunsAfterFirst = store?.Runs() ?? [];
        Resumed = CoschedCli.Run(TimeSpan.FromMinutes(4), [.. common, "--workloads", "pingpong,barrier,alltoall,allreduce,blast,migration", "--queries", "6", "--resume"]);
    }

    public void Dispose() => directory.Dispose();
}
