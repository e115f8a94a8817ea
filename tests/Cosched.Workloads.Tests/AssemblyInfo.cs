
// The in-process jobs run several ranks each on a two-core machine: one job at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
