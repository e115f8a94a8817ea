using BenchmarkDotNet.Attributes;
using Cosched.Messaging.Protocol;

namespace Cosched.Messaging.Benchmarks;

/// <summary>The matching queues in their common cases: a receive posted and then matched by an
/// arriving envelope, and a message that arrived first and is then found by its receive.</summary>
[MemoryDiagnoser]
public class MatchingBenchmarks
{
    private readonly MatchContext _context = new() { WorldToComm = [0, 1, 2, 3] };
    private readonly Request _receive = new() { Peer = 1, Tag = 7 };
    private readonly UnexpectedMessage _message = new() { WorldSource = 1, Tag = 7 };

    [Benchmark]
    public bool PostThenTake()
    {
        _context.Post(_receive);
        return _context.TakePosted(commSource: 1, tag: 7) == _receive;
    }

    [Benchmark]
    public bool ArriveThenFind()
    {
        _context.AddUnexpected(_message);
        return _context.FindUnexpected(commSource: 1, tag: 7, remove: true) == _message;
    }
}
