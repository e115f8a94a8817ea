using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Cosched.Messaging.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
