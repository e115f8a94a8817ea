using System.Globalization;

namespace Cosched.Study.Report;

/// <summary>How the report prints latencies, factors and sizes.</summary>
public static class Numbers
{
    public static string Usec(double? value) => value is not { } v ? "" :
        v.ToString(v < 10 ? "0.00" : v < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static string Factor(double factor) =>
        factor.ToString(factor < 1 ? "0.00" : factor < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + "x";

    /// <summary>A median with its 95% interval: "15.2 [14.9, 16.0]".</summary>
    public static string Interval(Summary summary) => $"{Usec(summary.Median)} [{Usec(summary.Low)}, {Usec(summary.High)}]";

    /// <summary>A ratio with its 95% interval: "4.1x [3.9, 4.4]".</summary>
    public static string FactorInterval(Ratio ratio) =>
        $"{Factor(ratio.Value)} [{Factor(ratio.Low).TrimEnd('x')}, {Factor(ratio.High).TrimEnd('x')}]";

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>A size as a finding's id spells it: "8B", "64KiB", "1MiB".</summary>
    public static string BytesId(long bytes) => Bytes(bytes).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>A change in whole percent with its sign: "+3%", "-1%", "0%" (never "-0%").</summary>
    public static string Change(double percent)
    {
        int whole = (int)Math.Round(percent, MidpointRounding.AwayFromZero);
        return whole > 0 ? $"+{whole}%" : $"{whole}%";
    }

    public static string Vms(int vms) => vms == 0 ? "native" : vms == 1 ? "1 VM" : $"{vms} VMs";
}
