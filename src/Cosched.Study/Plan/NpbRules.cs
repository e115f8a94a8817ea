namespace Cosched.Study.Plan;

/// <summary>What NPB's programs accept: the process counts of each kernel (BT and SP need a square
/// number, CG, FT, IS, LU and MG a power of two, EP any), and the processes x threads mixes of the
/// multi-zone benchmarks, which fill the host's cores and have no more processes than zones.</summary>
public static class NpbRules
{
    /// <summary>NPB's problem classes, smallest first.</summary>
    public const string Classes = "SWABCDEF";

    /// <summary>The rule of <paramref name="kernel"/>'s process count, in words.</summary>
    public static string Rule(string kernel) => kernel switch
    {
        "bt" or "sp" => "a square number of ranks",
        "ep" => "any number of ranks",
        // LU of NPB 3.4 also takes some other counts, leaving ranks idle: the study keeps to the classic rule.
        _ => "a power of two ranks",
    };

    /// <summary>The largest count not above <paramref name="wanted"/> that <paramref name="kernel"/> accepts.</summary>
    public static int Ranks(string kernel, int wanted)
    {
        if (wanted < 1) throw new ArgumentOutOfRangeException(nameof(wanted), wanted, "at least one rank");
        int largest = 1;
        switch (kernel)
        {
            case "ep":
                return wanted;
            case "bt" or "sp":
                while ((largest + 1) * (largest + 1) <= wanted) largest++;
                return largest * largest;
            default:
                while (largest * 2 <= wanted) largest *= 2;
                return largest;
        }
    }

    /// <summary>The zones of a multi-zone benchmark's class: BT-MZ and SP-MZ grow with the class
    /// (2x2 for S, 4x4 for W and A, 8x8 for B ...), LU-MZ has 4x4 in every class. A process holds at
    /// least one zone.</summary>
    public static int Zones(string kernel, string problemClass)
    {
        if (kernel == "lu-mz") return 16;
        int side = problemClass switch { "S" => 2, "W" or "A" => 4, "B" => 8, "C" => 16, "D" => 32, "E" => 64, _ => 128 };
        return side * side;
    }

    /// <summary>Every processes x threads mix that fills <paramref name="cores"/> cores (on 2 cores:
    /// 1x2 and 2x1), fewest processes first, without those with more processes than zones.</summary>
    public static List<(int Processes, int Threads)> Mixes(string kernel, string problemClass, int cores) =>
        [.. Enumerable.Range(1, Math.Max(1, cores)).Where(p => cores % p == 0 && p <= Zones(kernel, problemClass)).Select(p => (p, Math.Max(1, cores) / p))];
}
