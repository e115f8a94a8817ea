namespace Cosched.Study.Running;

/// <summary>The result of one NAS kernel run, as `cosched npb --format json` reports it.</summary>
public sealed record ApplicationResult(string Class, long Iterations, double Seconds, double MopsTotal, double MopsPerProcess, bool Verified);
