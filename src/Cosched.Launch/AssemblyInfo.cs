using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Cosched.Launch.Tests")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
