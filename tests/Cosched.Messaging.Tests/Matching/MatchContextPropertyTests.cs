using CsCheck;
using Cosched.Messaging.Protocol;

namespace Cosched.Messaging.Tests.Matching;

/// <summary>The matching queues against a reference model of MPI matching: an arriving message
/// goes to the first posted receive that accepts it, otherwise it waits; a new receive takes the
/// first waiting message (in arrival order) that it accepts, otherwise it is posted.</summary>
public class MatchContextPropertyTests
{
    private const int Sources = 3;
    private const int Tags = 3;
    private const int Any = -1;

    private enum Kind { Post, Arrive, Probe, Cancel }

    private readonly record struct Op(Kind Kind, int Source, int Tag);

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (4, Gen.Select(Gen.Int[-1, Sources - 1], Gen.Int[-1, Tags - 1]).Select((s, t) => new Op(Kind.Post, s, t))),
        (4, Gen.Select(Gen.Int[0, Sources - 1], Gen.Int[0, Tags - 1]).Select((s, t) => new Op(Kind.Arrive, s, t))),
        (1, Gen.Select(Gen.Int[-1, Sources - 1], Gen.Int[-1, Tags - 1]).Select((s, t) => new Op(Kind.Probe, s, t))),
        (1, Gen.Int[0, 7].Select(k => new Op(Kind.Cancel, k, 0))));

    private static bool Accepts(int source, int tag, int messageSource, int messageTag) =>
        (source == Any || source == messageSource) && (tag == Any || tag == messageTag);

    /// <summary>The obvious implementation, with lists.</summary>
    private sealed class Model
    {
        public readonly List<(int Id, int Source, int Tag)> Posted = new();
        public readonly List<(int Id, int Source, int Tag)> Unexpected = new();

        public int? Post(int id, int source, int tag)
        {
            int i = Unexpected.FindIndex(m => Accepts(source, tag, m.Source, m.Tag));
            if (i < 0)
            {
                Posted.Add((id, source, tag));
                return null;
            }
            var m = Unexpected[i];
            Unexpected.RemoveAt(i);
            return m.Id;
        }

        public int? Arrive(int id, int source, int tag)
        {
            int i = Posted.FindIndex(r => Accepts(r.Source, r.Tag, source, tag));
            if (i < 0)
            {
                Unexpected.Add((id, source, tag));
                return null;
            }
            var r = Posted[i];
            Posted.RemoveAt(i);
            return r.Id;
        }

        public int? Probe(int source, int tag)
        {
            int i = Unexpected.FindIndex(m => Accepts(source, tag, m.Source, m.Tag));
            return i < 0 ? null : Unexpected[i].Id;
        }
    }

    [Fact]
    public void MatchingFollowsTheReferenceModel()
    {
        Ops.Array[1, 120].Sample(ops =>
        {
            var context = new MatchContext { WorldToComm = Enumerable.Range(0, Sources).ToArray() };
            var model = new Model();
            var receives = new Dictionary<Request, int>();
            var live = new List<Request>(); // posted receives not yet matched or cancelled, in posting order
            int nextReceive = 0, nextMessage = 0;
            for (int step = 0; step < ops.Length; step++)
            {
                var op = ops[step];
                switch (op.Kind)
                {
                    case Kind.Post:
                    {
                        int id = nextReceive++;
                        var expected = model.Post(id, op.Source, op.Tag);
                        // As the engine does: search the unexpected messages first, post if none.
                        var message = context.FindUnexpected(op.Source, op.Tag, remove: true);
                        if (message == null)
                        {
                            var request = new Request { Peer = op.Source, Tag = op.Tag };
                            receives[request] = id;
                            live.Add(request);
                            context.Post(request);
                        }
                        Assert.True(expected == message?.SenderRequest, $"step {step}: receive {id} ({op.Source}, {op.Tag}) took message {message?.SenderRequest}, expected {expected}");
                        break;
                    }
                    case Kind.Arrive:
                    {
                        int id = nextMessage++;
                        var expected = model.Arrive(id, op.Source, op.Tag);
                        var request = context.HasPosted ? context.TakePosted(op.Source, op.Tag) : null;
                        if (request == null)
                            context.AddUnexpected(new UnexpectedMessage { WorldSource = op.Source, Tag = op.Tag, SenderRequest = id });
                        else live.Remove(request);
                        int? got = request == null ? null : receives[request];
                        Assert.True(expected == got, $"step {step}: message {id} ({op.Source}, {op.Tag}) went to receive {got}, expected {expected}");
                        break;
                    }
                    case Kind.Probe:
                    {
                        var expected = model.Probe(op.Source, op.Tag);
                        var found = context.FindUnexpected(op.Source, op.Tag, remove: false);
                        Assert.True(expected == found?.SenderRequest, $"step {step}: probe ({op.Source}, {op.Tag}) found {found?.SenderRequest}, expected {expected}");
                        break;
                    }
                    case Kind.Cancel:
                    {
                        if (live.Count == 0) break;
                        var request = live[op.Source % live.Count];
                        int id = receives[request];
                        Assert.True(context.RemovePosted(request), $"step {step}: receive {id} could not be withdrawn");
                        Assert.False(context.RemovePosted(request), $"step {step}: receive {id} withdrawn twice");
                        live.Remove(request);
                        model.Posted.RemoveAll(r => r.Id == id);
                        break;
                    }
                }
                Assert.Equal(model.Posted.Count > 0, context.HasPosted);
            }
            // What is left must match the model too: posted receives take messages in posting order...
            foreach (var (id, source, tag) in model.Posted.ToArray())
            {
                int message = nextMessage++;
                Assert.Equal(id, model.Arrive(message, source == Any ? 0 : source, tag == Any ? 0 : tag));
                var request = context.TakePosted(source == Any ? 0 : source, tag == Any ? 0 : tag);
                Assert.NotNull(request);
                Assert.Equal(id, receives[request]);
            }
            Assert.False(context.HasPosted);
            // ...and waiting messages come out in arrival order for a receive that accepts all.
            foreach (var (id, _, _) in model.Unexpected)
                Assert.Equal(id, context.FindUnexpected(Any, Any, remove: true)?.SenderRequest);
            Assert.Null(context.FindUnexpected(Any, Any, remove: false));
        }, iter: 4000);
    }

    [Fact]
    public void MessagesFromRanksOutsideTheCommunicatorNeverMatch()
    {
        // World ranks 0..3, the communicator holds world ranks 1 and 3 (as its ranks 0 and 1).
        var context = new MatchContext { WorldToComm = [-1, 0, -1, 1] };
        context.AddUnexpected(new UnexpectedMessage { WorldSource = 0, Tag = 1, SenderRequest = 100 });
        context.AddUnexpected(new UnexpectedMessage { WorldSource = 3, Tag = 1, SenderRequest = 101 });
        context.AddUnexpected(new UnexpectedMessage { WorldSource = 1, Tag = 2, SenderRequest = 102 });
        Assert.Equal(101, context.FindUnexpected(Any, Any, remove: false)?.SenderRequest);
        Assert.Equal(102, context.FindUnexpected(0, Any, remove: true)?.SenderRequest);
        Assert.Equal(101, context.FindUnexpected(1, 1, remove: true)?.SenderRequest);
        Assert.Null(context.FindUnexpected(Any, Any, remove: true));
    }
}
