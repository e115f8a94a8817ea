namespace Cosched.Messaging;

/// <summary>How a process joins its job.</summary>
public enum BootstrapKind
{
    /// <summary>Nobody started it as a rank: a job of one (an MPI singleton).</summary>
    Alone,
    /// <summary>Cosched's own launcher (cosched run, bench, npb, blast search).</summary>
    Launcher,
    /// <summary>A PMIx server: srun --mpi=pmix, Open MPI's mpirun.</summary>
    Pmix,
}

/// <summary>Picks the bootstrap from the environment, or from COSCHED_BOOTSTRAP=launcher|pmix, and
/// refuses, in one line, a launcher Cosched cannot join (rather than running N jobs of one rank).</summary>
public static class BootstrapChoice
{
    /// <summary>The bootstrap this process joins through; a <see cref="BootstrapException"/> for a
    /// launcher it cannot join or a bad COSCHED_BOOTSTRAP.</summary>
    public static BootstrapKind FromEnvironment() => Decide(Environment.GetEnvironmentVariable);

    internal static BootstrapKind Decide(Func<string, string?> variable)
    {
        bool launcher = variable(JobSettings.RankVariable) != null;
        bool pmix = variable("PMIX_NAMESPACE") != null && variable("PMIX_RANK") != null;
        switch (variable(JobSettings.BootstrapVariable))
        {
            case "launcher":
                return launcher ? BootstrapKind.Launcher
                    : throw new BootstrapException($"{JobSettings.BootstrapVariable}=launcher, but Cosched's launcher did not start this process ({JobSettings.RankVariable} is not set)");
            case "pmix":
                return pmix ? BootstrapKind.Pmix
                    : throw new BootstrapException($"{JobSettings.BootstrapVariable}=pmix, but no PMIx server started this process (PMIX_NAMESPACE is not set: start it with srun --mpi=pmix or Open MPI's mpirun)");
            case null or "":
                break;
            case var other:
                throw new BootstrapException($"{JobSettings.BootstrapVariable} must be launcher or pmix (got '{other}')");
        }
        if (launcher) return BootstrapKind.Launcher;
        // A job of one under srun or mpirun needs nobody else: it runs as a singleton, as MPI's do.
        if (pmix) return StepTasks(variable) == 1 ? BootstrapKind.Alone : BootstrapKind.Pmix;
        if (Above1(variable("SLURM_STEP_NUM_TASKS")) && variable("SLURM_PROCID") != null)
            throw new BootstrapException("started by srun without PMIx: Cosched joins a Slurm job step through PMIx; run srun --mpi=pmix (or set MpiDefault=pmix in slurm.conf)");
        if (Above1(variable("PMI_SIZE")) || variable("PMI_FD") != null)
            throw new BootstrapException("started by a launcher that speaks PMI-1/PMI-2 (MPICH's mpiexec, srun --mpi=pmi2): Cosched joins through PMIx (srun --mpi=pmix, Open MPI's mpirun) or its own launcher (cosched run)");
        if (Above1(variable("OMPI_COMM_WORLD_SIZE")))
            throw new BootstrapException("started by Open MPI's mpirun without a PMIx server (PMIX_NAMESPACE is not set): Cosched needs Open MPI 4 or later");
        return BootstrapKind.Alone;
    }

    /// <summary>The step's task count where the launcher says it before PMIx is asked; 0 when not said.</summary>
    private static int StepTasks(Func<string, string?> variable) =>
        int.TryParse(variable("OMPI_COMM_WORLD_SIZE") ?? variable("SLURM_STEP_NUM_TASKS"), out int n) ? n : 0;

    private static bool Above1(string? text) => int.TryParse(text, out int n) && n > 1;
}
