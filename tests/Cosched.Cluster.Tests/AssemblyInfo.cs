// The Slurm and mpirun tests each check that a job leaves no PMIx node segment (/dev/shm/cosched-pmix-*)
// behind; run in parallel, one test's check would see the other's live job. One at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
