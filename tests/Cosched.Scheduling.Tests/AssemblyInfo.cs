// Real schedules run jobs on a two-core machine: one test class at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
