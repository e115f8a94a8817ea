using BenchmarkDotNet.Attributes;

namespace Cosched.Messaging.Benchmarks;

/// <summary>The vectorised element-wise sum that every reduction algorithm applies, over 1 KiB of doubles.</summary>
[MemoryDiagnoser]
public class ReductionBenchmarks
{
    private readonly double[] _input = Enumerable.Range(0, 128).Select(i => (double)i).ToArray();
    private readonly double[] _inout = new double[128];

    [Benchmark]
    public void SumOneKibOfDoubles() => ReduceOp<double>.Sum.Apply(_input, _inout);
}
