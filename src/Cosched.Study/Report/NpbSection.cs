using Cosched.Study.Plan;

namespace Cosched.Study.Report;

/// <summary>The report's section on NPB's own binaries (--npb DIR): the single-zone kernels as
/// overhead against one VM (the paper's Fig. 3b), then the multi-zone mixes (Fig. 2), or why either
/// part did not run.</summary>
public static class NpbSection
{
    public static void Add(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        document.Add(new ReportDocument.Heading(2, "NPB 3.4's own code (the paper's Fig. 3b)"));
        var planned = results.Planned.Where(c => StudyWorkloads.IsNpb(c.Workload)).ToList();
        if (planned.Count == 0)
        {
            document.Add(new ReportDocument.Paragraph("Not measured: run the study with `--npb DIR`, a directory of NPB 3.4's binaries built with Cosched's wrappers "
                + "(NPB3.4-MPI's `config/make.def` with `MPICC` and `MPIFC` set to `.build/mpi/bin/mpicc` and `mpif90`, which `./cosched mpi-env` makes; "
                + "`make IS CLASS=A` puts `bin/is.A.x` there). The multi-zone benchmarks of NPB3.4-MZ (`bt-mz.A.x` ...) run in every processes x threads mix."));
            return;
        }
        if (planned.Any(c => c.Experiment == Experiment.Applications)) SingleZone(document, results, directory, plots);
        else document.Add(new ReportDocument.Paragraph("No single-zone kernel (`bt.A.x`, `cg.A.x` ...) was in the `--npb` directory."));
        MultiZoneSection.Add(document, results, directory, plots);
    }

    private static void SingleZone(ReportDocument document, StudyResults results, string directory, List<string> plots)
    {
        var runs = results.Of(Experiment.Applications).Where(r => StudyWorkloads.IsNpb(r.Configuration.Workload))
            .OrderBy(r => StudyWorkloads.NpbOrder(r.Configuration.Workload)).ThenBy(r => NpbRules.Classes.IndexOf(r.Configuration.MsgLog, StringComparison.Ordinal)).ToList();
        var kernels = results.Planned.Where(c => c.Experiment == Experiment.Applications && StudyWorkloads.IsNpb(c.Workload))
            .DistinctBy(c => (c.Workload, c.MsgLog)).OrderBy(c => StudyWorkloads.NpbOrder(c.Workload))
            .Select(c => $"{StudyWorkloads.Title(c.Workload)} class {c.MsgLog} on {results.RanksOnCores(c.Ranks)}{(c.Ranks == 1 ? " (no VMs to split it over, so no overhead)" : "")}").ToList();
        document.Add(new ReportDocument.Paragraph("NPB 3.4's own programs (Fortran, and C for IS), built with Cosched's wrappers and run under `cosched run` in the placements of the applications experiment: "
            + "the time is NPB's own timer of its timed section (printed to two decimals), and a run whose own verification did not say SUCCESSFUL is a failed run (listed at the end). "
            + "NPB's rules on the rank count: BT and SP need a square number, CG, FT, IS, LU and MG a power of two, EP any; each kernel ran on the study's rank count where its rule allows it, "
            + $"else on the largest allowed count below it{(kernels.Count > 0 ? $": {string.Join(", ", kernels)}" : "")}. "
            + "Run time in seconds, the median of the runs with its 95% interval, and in brackets the change against the same binary in one VM (positive: slower) with that interval. "
            + "The paper saw 1% to 3% for BT, LU and SP in 16 VMs, and more for CG and FT, whose communication is heavier."));
        if (ApplicationOverhead.Build(results, runs, r => $"{StudyWorkloads.Title(r.Configuration.Workload)} {r.Configuration.MsgLog}, {results.RanksOnCores(r.Configuration.Ranks)}") is not { } overhead)
        {
            var reason = results.Failed.FirstOrDefault(r => r.Configuration.Experiment == Experiment.Applications && StudyWorkloads.IsNpb(r.Configuration.Workload))?.Error;
            document.Add(new ReportDocument.Paragraph($"No NPB kernel was measured in one VM and in more{(reason != null ? $" ({reason})" : "")}."));
            return;
        }
        document.Add(overhead.Table);
        ReportWriter.AddPlot(document, directory, plots, "npb-overhead.png", "NPB 3.4's own kernels: overhead against one VM",
            file => ApplicationOverhead.Plot(file, "NPB 3.4 (built with cosched mpicc/mpif90): overhead against 1 VM", overhead));
    }
}
