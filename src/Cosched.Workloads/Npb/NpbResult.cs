namespace Cosched.Workloads.Npb;

/// <summary>What one NPB run reports: the fields of NPB's closing block (print_results).</summary>
/// <param name="Size">the problem size as NPB prints it: "64x64x64" or a count</param>
/// <param name="Seconds">the timed region's wall time, the slowest rank's</param>
/// <param name="MopsTotal">millions of operations per second, counted as NPB counts them</param>
/// <param name="OperationType">NPB's "Operation type" line, e.g. "Random numbers generated"</param>
public sealed record NpbResult(
    string Benchmark,
    NpbClass Class,
    string Size,
    int Iterations,
    double Seconds,
    int Processes,
    double MopsTotal,
    string OperationType,
    bool Verified)
{
    public double MopsPerProcess => Processes > 0 ? MopsTotal / Processes : 0;
}
