namespace Cosched.Workloads.Npb.Is;

/// <summary>IS's size for one class and the partial verification NPB 3.4 publishes (IS/is.c): five
/// test keys, by their index in the generated sequence, and the rank each must get.</summary>
public sealed class IsProblem
{
    /// <summary>Timed iterations (NPB's MAX_ITERATIONS); one more, untimed, runs first.</summary>
    public const int Iterations = 10;

    /// <summary>Test keys checked in every iteration.</summary>
    public const int TestKeys = 5;

    public required NpbClass Class { get; init; }
    public required int TotalKeysLog2 { get; init; }
    public required int MaxKeyLog2 { get; init; }
    public required int BucketsLog2 { get; init; }
    public required int MaxRanks { get; init; }
    public required int[] TestIndex { get; init; }
    public required int[] TestRank { get; init; }

    public int TotalKeys => 1 << TotalKeysLog2;
    public int MaxKey => 1 << MaxKeyLog2;
    public int Buckets => 1 << BucketsLog2;

    /// <summary>The rank test key <paramref name="test"/> must have in <paramref name="iteration"/>:
    /// each iteration plants two extra keys at the start of rank 0's keys, which moves the test keys'
    /// ranks by a class-specific rule.</summary>
    public int ExpectedRank(int test, int iteration)
    {
        int rank = TestRank[test];
        return Class switch
        {
            NpbClass.S or NpbClass.C => test <= 2 ? rank + iteration : rank - iteration,
            NpbClass.W => test < 2 ? rank + iteration - 2 : rank - iteration,
            NpbClass.A => test <= 2 ? rank + iteration - 1 : rank - (iteration - 1),
            NpbClass.B => test is 1 or 2 or 4 ? rank + iteration : rank - iteration,
            _ => throw new ArgumentOutOfRangeException(nameof(Class)),
        };
    }

    public static IsProblem For(NpbClass problemClass) => problemClass switch
    {
        NpbClass.S => new()
        {
            Class = problemClass, TotalKeysLog2 = 16, MaxKeyLog2 = 11, BucketsLog2 = 9, MaxRanks = 128,
            TestIndex = [48427, 17148, 23627, 62548, 4431], TestRank = [0, 18, 346, 64917, 65463],
        },
        NpbClass.W => new()
        {
            Class = problemClass, TotalKeysLog2 = 20, MaxKeyLog2 = 16, BucketsLog2 = 10, MaxRanks = 1024,
            TestIndex = [357773, 934767, 875723, 898999, 404505], TestRank = [1249, 11698, 1039987, 1043896, 1048018],
        },
        NpbClass.A => new()
        {
            Class = problemClass, TotalKeysLog2 = 23, MaxKeyLog2 = 19, BucketsLog2 = 10, MaxRanks = 1024,
            TestIndex = [2112377, 662041, 5336171, 3642833, 4250760], TestRank = [104, 17523, 123928, 8288932, 8388264],
        },
        NpbClass.B => new()
        {
            Class = problemClass, TotalKeysLog2 = 25, MaxKeyLog2 = 21, BucketsLog2 = 10, MaxRanks = 1024,
            TestIndex = [41869, 812306, 5102857, 18232239, 26860214], TestRank = [33422937, 10244, 59149, 33135281, 99],
        },
        NpbClass.C => new()
        {
            Class = problemClass, TotalKeysLog2 = 27, MaxKeyLog2 = 23, BucketsLog2 = 10, MaxRanks = 1024,
            TestIndex = [44172927, 72999161, 74326391, 129606274, 21736814], TestRank = [61147, 882988, 266290, 133997595, 133525895],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(problemClass)),
    };
}
