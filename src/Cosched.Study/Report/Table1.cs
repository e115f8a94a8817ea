using Cosched.Study.Plan;

namespace Cosched.Study.Report;

/// <summary>The paper's Table 1, widened to every collective: for one rank count and placement, one
/// row per collective and channel policy at a small message size, one column per VM count; each cell
/// the median latency with its 95% interval, each VM cell also its slowdown against native with that
/// ratio's interval. The rows of Intel MPI Benchmarks on Cosched and under Open MPI (when they ran)
/// follow Cosched's own, and the paper's own barrier row comes last.</summary>
public static class Table1
{
    public static ReportDocument.Table Build(StudyResults results, int ranks, string pin)
    {
        var columns = results.VmCounts(Experiment.Collectives, ranks).Union(PaperReference.BarrierUsec.Keys).Order().ToList();
        var header = new List<string> { "collective (µs)", "MPI, channels between VMs" };
        header.AddRange(columns.Select(Numbers.Vms));
        var rows = new List<IReadOnlyList<string>>();
        var policies = results.Of(Experiment.Collectives).Where(r => r.Configuration.Ranks == ranks).Select(r => r.Configuration.Channels)
            .Distinct().Where(c => c is "per-vm" or "locality").OrderByDescending(c => c == "per-vm").ToList();
        foreach (var collective in StudyWorkloads.Collectives)
        {
            foreach (var mpi in new[] { Configuration.Cosched, Configuration.CoschedImb, Configuration.OpenMpi })
            {
                if (results.NativeBaseline(collective, mpi, ranks) is not (var size, var baseline)) continue;
                bool first = true;
                foreach (var channels in mpi == Configuration.OpenMpi ? ["per-vm"] : policies)
                {
                    bool anyVm = false;
                    var row = new List<string>
                    {
                        collective == "barrier" ? "barrier" : $"{collective} {Numbers.Bytes(size)}",
                        mpi == Configuration.OpenMpi ? "Open MPI, tcp" : $"{Configuration.Title(mpi)}, {channels}",
                    };
                    foreach (int vms in columns)
                    {
                        var run = vms == 0 ? results.Native(collective, mpi, ranks) : results.Find(collective, mpi, ranks, vms, pin, channels);
                        var values = run?.LatenciesAt(size) ?? [];
                        anyVm |= vms > 0 && values.Count > 0;
                        row.Add(values.Count == 0 ? "" : vms == 0 ? Numbers.Interval(Statistics.Summarize(values))
                            : $"{Numbers.Interval(Statistics.Summarize(values))} ({Numbers.FactorInterval(Statistics.RatioOfMedians(values, baseline))})");
                    }
                    // A policy with no VM measured would repeat the native cell alone.
                    if (anyVm || first) rows.Add(row);
                    first = false;
                }
            }
        }
        var paper = new List<string> { "barrier, the paper", $"Intel MPI, InfiniBand ({PaperReference.Ranks} ranks)" };
        foreach (int vms in columns)
            paper.Add(PaperReference.BarrierUsec.TryGetValue(vms, out var value)
                ? vms == 0 ? Numbers.Usec(value) : $"{Numbers.Usec(value)} ({Numbers.Factor(value / PaperReference.BarrierUsec[0])})"
                : "");
        rows.Add(paper);
        return new ReportDocument.Table(header, rows);
    }
}
