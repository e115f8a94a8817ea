namespace Cosched.Tests.Shared;

/// <summary>The test programs of tests/mpi, compiled once per test run with `cosched mpicc`
/// (which builds libmpi.so on first use: it needs clang and lld, which CI installs).</summary>
public sealed class MpiPrograms : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cosched-mpi-tests").FullName;
    private readonly Dictionary<string, string> _built = new();
    private readonly Lock _gate = new();

    public static string Sources => Path.Combine(CoschedCli.RepositoryRoot, "tests", "mpi");

    /// <summary>The executable of tests/mpi/<paramref name="source"/>, compiled with the wrapper its extension asks for.</summary>
    public string Build(string source)
    {
        lock (_gate)
        {
            if (_built.TryGetValue(source, out var done)) return done;
            var output = Path.Combine(_directory, Path.GetFileNameWithoutExtension(source));
            var wrapper = Path.GetExtension(source) == ".c" ? "mpicc" : "mpif90";
            var result = CoschedCli.Run(TimeSpan.FromMinutes(5), wrapper, "-O2", "-Wall", "-o", output, Path.Combine(Sources, source));
            Assert.True(result.ExitCode == 0, $"cosched {wrapper} {source} failed: {result.Error}");
            _built[source] = output;
            return output;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
