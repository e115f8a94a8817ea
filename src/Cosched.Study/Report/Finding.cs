namespace Cosched.Study.Report;

/// <summary>One comparison the study makes (a configuration against its baseline), with what the data
/// lets it say: <see cref="Verdict"/> is "slower" or "faster" only when the 95% interval of the
/// ratio excludes 1, else "none". <see cref="Id"/> names the comparison, not its result, so it stays
/// the same across runs of the same plan (e.g. `allreduce/8B/n2/2vms/per-vm/vs-native`).</summary>
/// <param name="Metric">what is compared, in words.</param>
/// <param name="Ratio">the configuration's median over the baseline's (time, or bandwidth for bandwidth metrics).</param>
/// <param name="Paper">the paper's ratio for the same comparison, when it reports one.</param>
/// <param name="PaperAgrees">whether the paper's ratio lies on the same side of 1 as this verdict (null when either says nothing).</param>
/// <param name="Headline">whether the report lists it among its findings (the rest are in findings.json).</param>
/// <param name="Values">the configuration's figure in each of its runs (its min and max are the spread).</param>
/// <param name="BaselineValues">the baseline's figure in each of its runs.</param>
public sealed record Finding(
    string Id, string Metric, double Ratio, double Low, double High, string Verdict, double? Paper, bool? PaperAgrees,
    IReadOnlyList<double> Values, IReadOnlyList<double> BaselineValues, string Text, bool Headline)
{
    public const string Slower = "slower", Faster = "faster", None = "none";
}
