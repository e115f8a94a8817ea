using Cosched.Study.Plan;

namespace Cosched.Study.Report;

/// <summary>The paper's Table 1, widened to every collective: one row per collective and channel
/// policy at a small message size, one column per VM count, each VM cell with its slowdown against
/// native; Open MPI's rows (when the peer ran) and the paper's own barrier row below.</summary>
public static class Table1
{
    public static ReportDocument.Table Build(StudyResults results, string pin)
    {
        var columns = results.VmCounts.Union(PaperReference.BarrierUsec.Keys).Order().ToList();
        var header = new List<string> { "collective (µs)", "MPI, channels between VMs" };
        header.AddRange(columns.Select(Numbers.Vms));
        var rows = new List<IReadOnlyList<string>>();
        var policies = results.Of(Experiment.Collectives).Select(r => r.Configuration.Channels)
            .Distinct().Where(c => c is "per-vm" or "locality").OrderByDescending(c => c == "per-vm").ToList();
        foreach (var collective in StudyWorkloads.Collectives)
        {
            foreach (var mpi in new[] { Configuration.Cosched, Configuration.OpenMpi })
            {
                var native = results.Native(collective, mpi);
                if (native == null) continue;
                long size = StudyResults.SmallSize(native);
                double? baseline = StudyResults.LatencyAt(native, size);
                bool first = true;
                foreach (var channels in mpi == Configuration.Cosched ? policies : ["per-vm"])
                {
                    bool anyVm = false;
                    var row = new List<string>
                    {
                        collective == "barrier" ? "barrier" : $"{collective} {Numbers.Bytes(size)}",
                        mpi == Configuration.Cosched ? $"Cosched, {channels}" : "Open MPI, tcp",
                    };
                    foreach (int vms in columns)
                    {
                        var run = vms == 0 ? native : results.Find(collective, mpi, vms, pin, channels);
                        double? value = StudyResults.LatencyAt(run, size);
                        anyVm |= vms > 0 && value != null;
                        row.Add(value == null ? "" : vms == 0 || baseline is not > 0 ? Numbers.Usec(value)
                            : $"{Numbers.Usec(value)} ({Numbers.Factor(value.Value / baseline.Value)})");
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
