namespace Cosched.Study.Store;

/// <summary>One calibration run of an application: how long a problem class took natively on
/// <paramref name="Ranks"/> ranks, and whether the study chose it (the smallest class that runs long
/// enough to time).</summary>
public sealed record Calibration(string Workload, int Ranks, string Class, double Seconds, bool Chosen);
