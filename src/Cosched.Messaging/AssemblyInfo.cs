using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Cosched.Messaging.Tests")]
[assembly: InternalsVisibleTo("Cosched.Messaging.Benchmarks")]
