using Cosched.Messaging;
using Xunit;

namespace Cosched.Messaging.Tests.Bootstrap;

/// <summary>Which bootstrap a process takes from the environment its launcher gave it, and the one
/// line it gets under a launcher Cosched cannot join.</summary>
public class BootstrapChoiceTests
{
    private static BootstrapKind Decide(params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value);
        return BootstrapChoice.Decide(name => variables.GetValueOrDefault(name));
    }

    private static string Refused(params (string Name, string Value)[] environment) =>
        Assert.Throws<BootstrapException>(() => Decide(environment)).Message;

    [Fact]
    public void A_process_nobody_launched_is_a_job_of_one() => Assert.Equal(BootstrapKind.Alone, Decide());

    [Fact]
    public void Cosched_run_sets_the_rank_and_the_launcher_wins_over_an_outer_pmix()
    {
        Assert.Equal(BootstrapKind.Launcher, Decide(("COSCHED_RANK", "1")));
        // cosched run started from inside an srun step: its ranks still join cosched run's job.
        Assert.Equal(BootstrapKind.Launcher, Decide(("COSCHED_RANK", "1"), ("PMIX_NAMESPACE", "slurm.pmix.4.0"), ("PMIX_RANK", "3")));
    }

    [Fact]
    public void Srun_with_pmix_and_mpirun_give_pmix()
    {
        Assert.Equal(BootstrapKind.Pmix, Decide(("PMIX_NAMESPACE", "slurm.pmix.4.0"), ("PMIX_RANK", "0"), ("SLURM_STEP_NUM_TASKS", "6"), ("SLURM_PROCID", "0")));
        Assert.Equal(BootstrapKind.Pmix, Decide(("PMIX_NAMESPACE", "2911633409"), ("PMIX_RANK", "2"), ("OMPI_COMM_WORLD_SIZE", "4")));
    }

    [Fact]
    public void A_step_of_one_task_runs_as_a_singleton()
    {
        Assert.Equal(BootstrapKind.Alone, Decide(("PMIX_NAMESPACE", "slurm.pmix.4.0"), ("PMIX_RANK", "0"), ("SLURM_STEP_NUM_TASKS", "1")));
        Assert.Equal(BootstrapKind.Alone, Decide(("PMIX_NAMESPACE", "2911633409"), ("PMIX_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "1")));
    }

    [Fact]
    public void An_sbatch_script_or_a_one_task_srun_without_pmix_is_not_refused()
    {
        // sbatch's batch script sees SLURM_* of the allocation but is no rank of a step.
        Assert.Equal(BootstrapKind.Alone, Decide(("SLURM_JOB_ID", "12"), ("SLURM_NTASKS", "6"), ("SLURM_PROCID", "0")));
        Assert.Equal(BootstrapKind.Alone, Decide(("SLURM_STEP_NUM_TASKS", "1"), ("SLURM_PROCID", "0")));
    }

    [Fact]
    public void Launchers_cosched_cannot_join_get_one_line_naming_the_fix()
    {
        Assert.Contains("srun --mpi=pmix", Refused(("SLURM_STEP_NUM_TASKS", "6"), ("SLURM_PROCID", "2")));
        Assert.Contains("PMI-1/PMI-2", Refused(("PMI_SIZE", "4"), ("PMI_RANK", "1")));
        Assert.Contains("PMI-1/PMI-2", Refused(("PMI_FD", "7")));
        Assert.Contains("Open MPI", Refused(("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_RANK", "1")));
        foreach (var message in new[] { Refused(("PMI_FD", "7")), Refused(("SLURM_STEP_NUM_TASKS", "2"), ("SLURM_PROCID", "0")) })
            Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Cosched_bootstrap_forces_a_provider_and_says_when_it_is_not_there()
    {
        Assert.Equal(BootstrapKind.Pmix, Decide(("COSCHED_BOOTSTRAP", "pmix"), ("PMIX_NAMESPACE", "n"), ("PMIX_RANK", "0"), ("OMPI_COMM_WORLD_SIZE", "1")));
        Assert.Equal(BootstrapKind.Launcher, Decide(("COSCHED_BOOTSTRAP", "launcher"), ("COSCHED_RANK", "0"), ("PMIX_NAMESPACE", "n"), ("PMIX_RANK", "0")));
        Assert.Contains("no PMIx server", Refused(("COSCHED_BOOTSTRAP", "pmix")));
        Assert.Contains("COSCHED_RANK is not set", Refused(("COSCHED_BOOTSTRAP", "launcher"), ("PMIX_NAMESPACE", "n"), ("PMIX_RANK", "0")));
        Assert.Contains("must be launcher or pmix (got 'pmi2')", Refused(("COSCHED_BOOTSTRAP", "pmi2")));
    }

    [Theory]
    [InlineData("0,1,2", 1, new[] { 0, 1, 2 })]
    [InlineData("4", 4, new[] { 4 })]
    [InlineData("", 3, new[] { 3 })]
    [InlineData(" 2, 5 ", 5, new[] { 2, 5 })]
    public void Local_peers_are_pmix_comma_separated_ranks_holding_our_own(string text, int self, int[] expected) =>
        Assert.Equal(expected, PmixBootstrap.ParsePeers(text, self));

    [Theory]
    [InlineData("0,x")]
    [InlineData("0,-1")]
    public void A_malformed_peer_list_is_refused_in_one_line(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<BootstrapException>(() => PmixBootstrap.ParsePeers(text, 0)).Message);
}
