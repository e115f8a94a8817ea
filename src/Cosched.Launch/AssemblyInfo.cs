using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Cosched.Launch.Tests")]
