namespace Cosched.Study.Plan;

/// <summary>Turns a study's options into the list of configurations to measure, in the paper's order:
/// point-to-point, collectives (by rank count), applications, the multi-zone mixes, then migration;
/// each IMB-on-Cosched and Open MPI peer configuration right after Cosched's.</summary>
public static class StudyPlan
{
    /// <param name="nasClasses">each NAS kernel's calibrated class, where <see cref="StudyOptions.NasClass"/> does not fix one.</param>
    public static List<Configuration> Build(StudyOptions options, IReadOnlyDictionary<string, string>? nasClasses = null)
    {
        var plan = new List<Configuration>();
        // The MPIs that measure each micro-benchmark placement, Cosched's own benchmarks first.
        var mpis = new List<string> { Configuration.Cosched };
        if (options.CoschedImbPath != null) mpis.Add(Configuration.CoschedImb);
        if (options.Peer == Configuration.OpenMpi && options.ImbPath != null) mpis.Add(Configuration.OpenMpi);
        foreach (var workload in options.Workloads)
        {
            switch (StudyWorkloads.ExperimentOf(workload))
            {
                case Experiment.PointToPoint:
                    AddPointToPoint(plan, options, mpis);
                    break;
                case Experiment.Migration:
                    AddMigration(plan, options);
                    break;
                case Experiment.Collectives:
                    foreach (var scale in options.CollectiveScales.Where(s => s.Collectives.Contains(workload)))
                        AddAcrossVms(plan, options, Experiment.Collectives, workload, scale.Ranks, scale.VmCounts, scale.MsgLog, mpis);
                    break;
                case Experiment.MultiZone:
                    foreach (var binary in options.NpbBinaries.Where(b => b.Workload == workload))
                        AddMultiZone(plan, options, binary);
                    break;
                case Experiment.Applications when StudyWorkloads.IsNpb(workload):
                    foreach (var binary in options.NpbBinaries.Where(b => b.Workload == workload))
                    {
                        // NPB's own rule on the rank count (or the count a 3.3 binary was built for), and no VM without a rank.
                        int ranks = binary.Processes ?? NpbRules.Ranks(binary.Kernel, options.Ranks);
                        AddAcrossVms(plan, options, Experiment.Applications, workload, ranks, [.. options.VmCounts.Where(k => k <= ranks)], binary.Class, [Configuration.Cosched]);
                    }
                    break;
                default:
                    string size = workload == StudyWorkloads.Blast ? options.BlastQueries.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : options.NasClass ?? nasClasses?.GetValueOrDefault(workload)
                        ?? throw new ArgumentException($"no NAS class for {workload}: give --class or calibrate first");
                    AddAcrossVms(plan, options, Experiment.Applications, workload, options.Ranks, options.VmCounts, size, [Configuration.Cosched]);
                    break;
            }
        }
        // Stable order by experiment, as the paper presents them, and by rank count, whatever order --workloads named.
        string[] order = [Experiment.PointToPoint, Experiment.Collectives, Experiment.Applications, Experiment.MultiZone, Experiment.Migration];
        return [.. plan.OrderBy(c => Array.IndexOf(order, c.Experiment)).ThenBy(c => c.Ranks)];
    }

    /// <summary>The paper's Fig. 1 scenarios on two ranks: native shared memory, native tcp (its
    /// "native (IB)"), and two VMs with each channel policy.</summary>
    private static void AddPointToPoint(List<Configuration> plan, StudyOptions options, IReadOnlyList<string> mpis)
    {
        Configuration Make(string mpi, int vms, string channels) =>
            new(Experiment.PointToPoint, mpi, StudyWorkloads.PingPong, 2, vms, "compact", channels, options.PingPongMsgLog, options.Seconds);
        foreach (var channels in new[] { "locality", "network" })
            foreach (var mpi in mpis)
                plan.Add(Make(mpi, 0, channels));
        foreach (var mpi in mpis)
            foreach (var channels in ChannelsAcrossVms(options, mpi, 2))
                plan.Add(Make(mpi, 2, channels));
    }

    /// <summary>The channel policies measured across <paramref name="vms"/> VMs: Open MPI has no shared
    /// memory between VMs, so across VMs it is always the per-vm case; inside one VM every policy gives
    /// shared memory between all ranks, so one measurement serves both.</summary>
    private static IEnumerable<string> ChannelsAcrossVms(StudyOptions options, string mpi, int vms) =>
        mpi == Configuration.OpenMpi ? ["per-vm"] : vms == 1 ? options.Channels.Take(1) : options.Channels;

    /// <summary>Two ranks in two VMs on two hosts, consolidated onto one host and spread again while
    /// PingPong runs, once per channel policy: with locality the move changes the channel, with per-vm
    /// it only costs its phases.</summary>
    private static void AddMigration(List<Configuration> plan, StudyOptions options)
    {
        foreach (var channels in options.Channels)
            plan.Add(new(Experiment.Migration, Configuration.Cosched, StudyWorkloads.Migration, 2, 2, "compact", channels,
                StudyOptions.MigrationBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), options.MigrationSeconds));
    }

    /// <summary>A multi-zone benchmark in every processes x threads mix that fills the host: natively,
    /// then in every VM count that divides the processes (each VM the same share), both policies
    /// across VMs; compact placement only: this experiment varies the mix, not the placement.</summary>
    private static void AddMultiZone(List<Configuration> plan, StudyOptions options, NpbBinary binary)
    {
        foreach (var (processes, threads) in NpbRules.Mixes(binary.Kernel, binary.Class, options.Cores).Where(m => binary.RunsOn(m.Processes)))
        {
            Configuration Make(int vms, string channels) =>
                new(Experiment.MultiZone, Configuration.Cosched, binary.Workload, processes, vms, "compact", channels, binary.Class, options.Seconds, threads);
            plan.Add(Make(0, "locality"));
            foreach (int vms in Enumerable.Range(1, processes).Where(k => processes % k == 0))
                foreach (var channels in ChannelsAcrossVms(options, Configuration.Cosched, vms))
                    plan.Add(Make(vms, channels));
        }
    }

    private static void AddAcrossVms(List<Configuration> plan, StudyOptions options, string experiment, string workload, int ranks, int[] vmCounts, string sizes, IReadOnlyList<string> mpis)
    {
        Configuration Make(string mpi, int vms, string pin, string channels) =>
            new(experiment, mpi, workload, ranks, vms, pin, channels, sizes, options.Seconds);
        foreach (int vms in vmCounts)
        {
            if (vms == 0)
            {
                foreach (var mpi in mpis) plan.Add(Make(mpi, 0, "compact", "locality"));
                continue;
            }
            foreach (var pin in options.Pins)
            {
                // With one VM, or one rank per VM, scatter places ranks exactly as compact does.
                if (pin != "compact" && (vms == 1 || vms == ranks) && options.Pins.Contains("compact")) continue;
                foreach (var mpi in mpis)
                    foreach (var channels in ChannelsAcrossVms(options, mpi, vms))
                        plan.Add(Make(mpi, vms, pin, channels));
            }
        }
    }
}
