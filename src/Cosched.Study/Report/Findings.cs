using Cosched.Study.Plan;

namespace Cosched.Study.Report;

/// <summary>Short sentences computed from the data: how much slower each collective gets across VMs
/// with per-vm channels and with locality channels, the point-to-point paths, the applications'
/// overhead, and how this compares with the paper.</summary>
public static class Findings
{
    public static List<string> Compute(StudyResults results)
    {
        var findings = new List<string>();
        PointToPoint(results, findings);
        Collectives(results, findings);
        Applications(results, findings);
        return findings;
    }

    private static void PointToPoint(StudyResults results, List<string> findings)
    {
        var shm = results.Find(StudyWorkloads.PingPong, Configuration.Cosched, 0, "compact", "locality");
        var tcp = results.Of(Experiment.PointToPoint).LastOrDefault(r => r.Configuration.Vms == 0 && r.Configuration.Channels == "network");
        var perVm = results.Find(StudyWorkloads.PingPong, Configuration.Cosched, 2, "compact", "per-vm");
        var locality = results.Find(StudyWorkloads.PingPong, Configuration.Cosched, 2, "compact", "locality");
        if (shm == null) return;
        long size = StudyResults.SmallSize(shm);
        double? native = StudyResults.LatencyAt(shm, size);
        if (native is not > 0) return;
        var parts = new List<string> { $"native shared memory {Numbers.Usec(native)} µs" };
        void Add(string name, Store.StoredRun? run)
        {
            if (StudyResults.LatencyAt(run, size) is { } value) parts.Add($"{name} {Numbers.Usec(value)} µs ({Numbers.Factor(value / native.Value)})");
        }
        Add("native tcp", tcp);
        Add("2 VMs per-vm", perVm);
        Add("2 VMs locality", locality);
        findings.Add($"pingpong {Numbers.Bytes(size)} one-way latency: {string.Join(", ", parts)}; the paper: native shared memory {PaperReference.PingPongNativeShmUsec} µs, native InfiniBand {PaperReference.PingPongNativeIbUsec} µs, between VMs {PaperReference.PingPongVmIbUsec} µs.");

        long largest = shm.Best.Max(m => m.Bytes);
        double? Bandwidth(Store.StoredRun? run) => run?.Best.FirstOrDefault(m => m.Bytes == largest)?.MbytesPerSec;
        if (Bandwidth(shm) is > 0 and var shmBandwidth && Bandwidth(perVm) is { } perVmBandwidth)
        {
            var text = $"pingpong {Numbers.Bytes(largest)} bandwidth: 2 VMs per-vm reach {perVmBandwidth / shmBandwidth * 100:0}% of native shared memory ({perVmBandwidth:0.#} vs {shmBandwidth:0.#} MB/s)";
            if (Bandwidth(locality) is { } localityBandwidth) text += $", 2 VMs locality {localityBandwidth / shmBandwidth * 100:0}%";
            findings.Add(text + " (the paper: about 45% between VMs).");
        }
    }

    private static void Collectives(StudyResults results, List<string> findings)
    {
        double worstPerVm = 0, itsLocality = 0;
        string worstWhat = "";
        foreach (var collective in StudyWorkloads.Collectives)
        {
            var native = results.Native(collective, Configuration.Cosched);
            if (native == null) continue;
            long size = StudyResults.SmallSize(native);
            if (StudyResults.LatencyAt(native, size) is not { } baseline || baseline <= 0) continue;
            var acrossVms = results.Of(Experiment.Collectives, collective).Where(r => r.Configuration.Vms > 1 && r.Configuration.Pin == "compact").ToList();
            if (acrossVms.Count == 0) continue;
            int most = acrossVms.Max(r => r.Configuration.Vms);
            double? perVm = StudyResults.LatencyAt(results.Find(collective, Configuration.Cosched, most, "compact", "per-vm"), size) / baseline;
            double? locality = StudyResults.LatencyAt(results.Find(collective, Configuration.Cosched, most, "compact", "locality"), size) / baseline;
            var what = collective == "barrier" ? "barrier" : $"{collective} {Numbers.Bytes(size)}";
            var parts = new List<string>();
            if (perVm is { } p) parts.Add($"{Numbers.Factor(p)} slower in {Numbers.Vms(most)} with per-vm channels");
            if (locality is { } l) parts.Add($"{Numbers.Factor(l)} with locality channels");
            var openMpiNative = results.Native(collective, Configuration.OpenMpi);
            var openMpiVms = results.Find(collective, Configuration.OpenMpi, most, "compact", "per-vm");
            if (StudyResults.LatencyAt(openMpiNative, size) is > 0 and var o && StudyResults.LatencyAt(openMpiVms, size) is { } ov)
                parts.Add($"Open MPI {Numbers.Factor(ov / o)}");
            if (parts.Count > 0) findings.Add($"{what}: {string.Join(", ", parts)} (against native, {Numbers.Usec(baseline)} µs).");
            if (perVm is { } worst && worst > worstPerVm)
            {
                worstPerVm = worst;
                itsLocality = locality ?? double.NaN;
                worstWhat = $"{what} in {Numbers.Vms(most)}";
            }
        }
        if (worstPerVm > 0)
            findings.Add($"The paper's effect: the worst slowdown with per-vm channels is {Numbers.Factor(worstPerVm)} ({worstWhat}); its cure: locality channels bring it to {(double.IsNaN(itsLocality) ? "(not measured)" : Numbers.Factor(itsLocality))}. The paper saw barrier {Numbers.Factor(PaperReference.BarrierUsec[2] / PaperReference.BarrierUsec[0])} slower in 2 VMs and alltoall {PaperReference.AlltoallSlowdown16Vms:0}x in 16 VMs.");
    }

    private static void Applications(StudyResults results, List<string> findings)
    {
        foreach (var kernel in StudyWorkloads.Applications)
        {
            var runs = results.Of(Experiment.Applications, kernel).Where(r => r.Application != null && r.Configuration.Pin == "compact").ToList();
            var oneVm = runs.Where(r => r.Configuration.Vms == 1).ToList();
            var most = runs.Where(r => r.Configuration.Vms > 1).OrderBy(r => r.Configuration.Vms).LastOrDefault()?.Configuration.Vms;
            if (oneVm.Count == 0 || most == null) continue;
            var parts = new List<string>();
            foreach (var channels in new[] { "per-vm", "locality" })
            {
                var baseline = oneVm[^1];   // one VM: the same for every policy
                var run = runs.LastOrDefault(r => r.Configuration.Vms == most && r.Configuration.Channels == channels);
                if (run == null) continue;
                parts.Add($"{Numbers.Change((run.Application!.Seconds / baseline.Application!.Seconds - 1) * 100)} with {channels} channels");
            }
            if (parts.Count == 0) continue;
            findings.Add(kernel == StudyWorkloads.Blast
                ? $"BLAST search ({oneVm[0].Application!.Class}) in {Numbers.Vms(most.Value)} against 1 VM: {string.Join(", ", parts)} (the paper: mpiBLAST, compute-bound, differed little between its configurations)."
                : $"NAS {StudyWorkloads.Title(kernel)} class {oneVm[0].Application!.Class} in {Numbers.Vms(most.Value)} against 1 VM: {string.Join(", ", parts)} (the paper: 1% to 3% for its pseudo-applications in 16 VMs, more for CG and FT).");
        }
    }
}
