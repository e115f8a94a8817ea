namespace Cosched.Workloads.Npb;

/// <summary>NPB's verification rule: a value passes when its relative error against the published
/// reference is within the kernel's bound.</summary>
public static class NpbVerification
{
    public static bool Within(double value, double reference, double epsilon) =>
        double.IsFinite(value) && Math.Abs((value - reference) / reference) <= epsilon;
}
