using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Cosched.Messaging.Tests")]
[assembly: InternalsVisibleTo("Cosched.Messaging.Benchmarks")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
