namespace Cosched.Study.Plan;

/// <summary>Turns a study's options into the list of configurations to measure, in the paper's order:
/// point-to-point, collectives (by rank count), applications, then migration; each Open MPI peer
/// configuration right after Cosched's.</summary>
public static class StudyPlan
{
    /// <param name="nasClasses">each NAS kernel's calibrated class, where <see cref="StudyOptions.NasClass"/> does not fix one.</param>
    public static List<Configuration> Build(StudyOptions options, IReadOnlyDictionary<string, string>? nasClasses = null)
    {
        var plan = new List<Configuration>();
        bool peer = options.Peer == Configuration.OpenMpi && options.ImbPath != null;
        foreach (var workload in options.Workloads)
        {
            switch (StudyWorkloads.ExperimentOf(workload))
            {
                case Experiment.PointToPoint:
                    AddPointToPoint(plan, options, peer);
                    break;
                case Experiment.Migration:
                    AddMigration(plan, options);
                    break;
                case Experiment.Collectives:
                    foreach (var scale in options.CollectiveScales.Where(s => s.Collectives.Contains(workload)))
                        AddAcrossVms(plan, options, Experiment.Collectives, workload, scale.Ranks, scale.VmCounts, scale.MsgLog, peer);
                    break;
                default:
                    string size = workload == StudyWorkloads.Blast ? options.BlastQueries.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : options.NasClass ?? nasClasses?.GetValueOrDefault(workload)
                        ?? throw new ArgumentException($"no NAS class for {workload}: give --class or calibrate first");
                    AddAcrossVms(plan, options, Experiment.Applications, workload, options.Ranks, options.VmCounts, size, peer: false);
                    break;
            }
        }
        // Stable order by experiment, as the paper presents them, and by rank count, whatever order --workloads named.
        string[] order = [Experiment.PointToPoint, Experiment.Collectives, Experiment.Applications, Experiment.Migration];
        return [.. plan.OrderBy(c => Array.IndexOf(order, c.Experiment)).ThenBy(c => c.Ranks)];
    }

    /// <summary>The paper's Fig. 1 scenarios on two ranks: native shared memory, native tcp (its
    /// "native (IB)"), and two VMs with each channel policy.</summary>
    private static void AddPointToPoint(List<Configuration> plan, StudyOptions options, bool peer)
    {
        Configuration Make(string mpi, int vms, string channels) =>
            new(Experiment.PointToPoint, mpi, StudyWorkloads.PingPong, 2, vms, "compact", channels, options.PingPongMsgLog, options.Seconds);
        plan.Add(Make(Configuration.Cosched, 0, "locality"));
        if (peer) plan.Add(Make(Configuration.OpenMpi, 0, "locality"));
        plan.Add(Make(Configuration.Cosched, 0, "network"));
        if (peer) plan.Add(Make(Configuration.OpenMpi, 0, "network"));
        foreach (var channels in options.Channels)
            plan.Add(Make(Configuration.Cosched, 2, channels));
        // Open MPI has no shared memory between VMs: across VMs it is always the per-vm case.
        if (peer) plan.Add(Make(Configuration.OpenMpi, 2, "per-vm"));
    }

    /// <summary>Two ranks in two VMs on two hosts, consolidated onto one host and spread again while
    /// PingPong runs, once per channel policy: with locality the move changes the channel, with per-vm
    /// it only costs its phases.</summary>
    private static void AddMigration(List<Configuration> plan, StudyOptions options)
    {
        foreach (var channels in options.Channels)
            plan.Add(new(Experiment.Migration, Configuration.Cosched, StudyWorkloads.Migration, 2, 2, "compact", channels,
                StudyOptions.MigrationBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), options.MigrationSeconds));
    }

    private static void AddAcrossVms(List<Configuration> plan, StudyOptions options, string experiment, string workload, int ranks, int[] vmCounts, string sizes, bool peer)
    {
        Configuration Make(string mpi, int vms, string pin, string channels) =>
            new(experiment, mpi, workload, ranks, vms, pin, channels, sizes, options.Seconds);
        foreach (int vms in vmCounts)
        {
            if (vms == 0)
            {
                plan.Add(Make(Configuration.Cosched, 0, "compact", "locality"));
                if (peer) plan.Add(Make(Configuration.OpenMpi, 0, "compact", "locality"));
                continue;
            }
            foreach (var pin in options.Pins)
            {
                // With one VM, or one rank per VM, scatter places ranks exactly as compact does.
                if (pin != "compact" && (vms == 1 || vms == ranks) && options.Pins.Contains("compact")) continue;
                // Inside one VM every policy gives shared memory between all ranks: one measurement serves both.
                foreach (var channels in vms == 1 ? options.Channels.Take(1) : options.Channels)
                    plan.Add(Make(Configuration.Cosched, vms, pin, channels));
                if (peer) plan.Add(Make(Configuration.OpenMpi, vms, pin, "per-vm"));
            }
        }
    }
}
