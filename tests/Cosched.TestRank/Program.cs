// A rank program for the launcher's tests: each mode behaves like one kind of user program.
using Cosched.Messaging;

var mode = args.Length > 0 ? args[0] : "hello";
var world = Communicator.World;
// Tests look for what this very job left behind (other jobs may run beside it), so name it.
if (world.Rank == 0 && mode is "exchange" or "exit" or "forever" or "storm" or "stall")
    Console.Error.WriteLine($"test rank: job {Environment.GetEnvironmentVariable("COSCHED_JOB")}");
switch (mode)
{
    case "hello":
        Console.WriteLine($"rank {world.Rank} of {world.Size} via {(world.Size > 1 ? world.ChannelTo((world.Rank + 1) % world.Size) : "self")}");
        break;
    case "exchange":
        // Every rank sends its number around the ring and checks what comes back.
        for (int round = 0; round < 100; round++)
        {
            int next = (world.Rank + 1) % world.Size, previous = (world.Rank + world.Size - 1) % world.Size;
            var received = new int[1];
            world.Sendrecv<int>([world.Rank * 1000 + round], next, 0, received, previous, 0);
            if (received[0] != previous * 1000 + round) { Console.Error.WriteLine($"rank {world.Rank}: wrong value {received[0]}"); return 1; }
        }
        world.Barrier();
        if (world.Rank == 0) Console.WriteLine("exchange ok");
        break;
    case "forever":
        // Ping-pong until killed; writes its pid so a test can kill one rank.
        File.WriteAllText(Path.Combine(args[1], $"rank{world.Rank}.pid"), Environment.ProcessId.ToString());
        var token = new byte[8];
        int partner = world.Rank ^ 1;
        while (partner < world.Size)
        {
            if (world.Rank % 2 == 0) { world.Send<byte>(token, partner, 0); world.Recv<byte>(token, partner, 0); }
            else { world.Recv<byte>(token, partner, 0); world.Send<byte>(token, partner, 0); }
        }
        Thread.Sleep(Timeout.Infinite);
        break;
    case "exit":
        // exit RANK CODE: that rank exits with the code after joining; the others wait for messages that never come.
        if (world.Rank == int.Parse(args[1])) return int.Parse(args[2]);
        world.Recv<byte>(new byte[1], Communicator.AnySource, 0);
        break;
    case "storm":
    {
        // storm SECONDS: rounds of Isend with random sizes (across the eager limit) and tags to every
        // rank, received with AnySource/AnyTag after Probe, every byte and the order per (source,
        // tag) checked, until SECONDS have passed (while the launcher moves VMs).
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        int rounds = 0;
        for (; ; rounds++)
        {
            if (Storm(world, rounds) is { } problem) { Console.Error.WriteLine(problem); return 1; }
            if (world.Allreduce(DateTime.UtcNow < until ? 1 : 0, ReduceOp<int>.Min) == 0) break;
        }
        world.Barrier();
        if (world.Rank == 0) Console.WriteLine($"storm ok: {rounds + 1} rounds, {Runtime.Migrations.Count} moves");
        break;
    }
    case "stall":
    {
        // stall DIR: barriers until DIR/stall exists; then rank 1 computes outside the runtime until
        // DIR/resume exists while the others wait for it in a barrier; each rank writes its pid.
        File.WriteAllText(Path.Combine(args[1], $"rank{world.Rank}.pid"), Environment.ProcessId.ToString());
        while (world.Allreduce(File.Exists(Path.Combine(args[1], "stall")) ? 1 : 0, ReduceOp<int>.Max) == 0) Thread.Sleep(5);
        if (world.Rank == 1)
        {
            File.WriteAllText(Path.Combine(args[1], "stalled"), "");
            while (!File.Exists(Path.Combine(args[1], "resume"))) Thread.Sleep(10);
        }
        world.Barrier();
        var value = world.Allreduce(world.Rank + 1, ReduceOp<int>.Sum);
        if (value != world.Size * (world.Size + 1) / 2) return Fail("allreduce after the stall", 1);
        if (world.Rank == 0) Console.WriteLine($"stall ok: {Runtime.Migrations.Count} moves");
        break;
    }
    case "collectives":
    {
        // collectives [SECONDS]: every collective at sizes from one element to past the eager
        // limit, checked on every rank; repeated until SECONDS have passed.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
        int rounds = 0;
        do
        {
            if (Collectives(world) is { } failed) return failed;
            rounds++;
        }
        while (world.Allreduce(DateTime.UtcNow < until ? 1 : 0, ReduceOp<int>.Min) == 1);
        world.Barrier();
        if (world.Rank == 0) Console.WriteLine($"collectives ok: {rounds} rounds, {Runtime.Migrations.Count} moves");
        break;
    }
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}
return 0;

int? Collectives(Communicator world)
{
        foreach (int count in new[] { 1, 7, 1000, 40_000 })
        {
            int n = world.Size, me = world.Rank;
            world.Barrier();
            var bcast = new int[count];
            if (me == n - 1) for (int i = 0; i < count; i++) bcast[i] = i * 3 + 1;
            world.Bcast<int>(bcast, n - 1);
            for (int i = 0; i < count; i++) if (bcast[i] != i * 3 + 1) return Fail("bcast", count);
            var mine = Enumerable.Range(0, count).Select(i => (long)(me + 1) * (i + 1)).ToArray();
            long sumOfRanks = (long)n * (n + 1) / 2;
            var reduced = new long[count];
            world.Reduce<long>(mine, reduced, ReduceOp<long>.Sum, 0);
            if (me == 0) for (int i = 0; i < count; i++) if (reduced[i] != sumOfRanks * (i + 1)) return Fail("reduce", count);
            var all = new long[count];
            world.Allreduce<long>(mine, all, ReduceOp<long>.Sum);
            for (int i = 0; i < count; i++) if (all[i] != sumOfRanks * (i + 1)) return Fail("allreduce", count);
            var block = Enumerable.Range(0, count).Select(i => me * 100_000 + i).ToArray();
            var gathered = new int[count * n];
            world.Gather<int>(block, me == 0 ? gathered : Span<int>.Empty, 0);
            if (me == 0) for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) if (gathered[r * count + i] != r * 100_000 + i) return Fail("gather", count);
            world.Allgather<int>(block, gathered);
            for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) if (gathered[r * count + i] != r * 100_000 + i) return Fail("allgather", count);
            var source = me == 0 ? Enumerable.Range(0, count * n).ToArray() : [];
            var part = new int[count];
            world.Scatter<int>(source, part, 0);
            for (int i = 0; i < count; i++) if (part[i] != me * count + i) return Fail("scatter", count);
            var outgoing = new int[count * n];
            for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) outgoing[r * count + i] = me * 1_000_000 + r * 1000 + i % 1000;
            var incoming = new int[count * n];
            world.Alltoall<int>(outgoing, incoming);
            for (int r = 0; r < n; r++) for (int i = 0; i < count; i++) if (incoming[r * count + i] != r * 1_000_000 + me * 1000 + i % 1000) return Fail("alltoall", count);
        }
        return null;
}

// One round of the storm; returns what went wrong, or null.
static string? Storm(Communicator world, int round)
{
    const int Tags = 3, MessagesPerPeer = 8, Largest = 200_000; // bytes: well past the eager limit
    var random = new Random(round * 7919 + world.Rank);
    var sends = new List<Request>();
    var sequence = new int[world.Size, Tags];
    for (int i = 0; i < MessagesPerPeer; i++)
        for (int peer = 0; peer < world.Size; peer++)
        {
            if (peer == world.Rank) continue;
            int tag = random.Next(Tags);
            var data = Stamped(Math.Max(3, random.Next(Largest / sizeof(int))), world.Rank, tag, sequence[peer, tag]++);
            sends.Add(world.Isend<int>(data, peer, tag));
        }
    var expected = new int[world.Size, Tags];
    for (int got = 0; got < MessagesPerPeer * (world.Size - 1); got++)
    {
        var probed = world.Probe<int>(Communicator.AnySource, Communicator.AnyTag);
        var buffer = new int[probed.Count];
        var status = world.Recv<int>(buffer, probed.Source, probed.Tag);
        int number = expected[status.Source, status.Tag]++;
        if (!buffer.AsSpan().SequenceEqual(Stamped(buffer.Length, status.Source, status.Tag, number)))
            return $"rank {world.Rank}: round {round}: message {number} from rank {status.Source} with tag {status.Tag} ({buffer.Length} ints) is wrong or out of order";
    }
    Communicator.WaitAll(sends.ToArray());
    return null;
}

// A message that says who sent it, with which tag, as which number: its length and every element.
static int[] Stamped(int count, int source, int tag, int number)
{
    var data = new int[count];
    data[0] = source;
    data[1] = tag;
    data[2] = number;
    for (int i = 3; i < count; i++) data[i] = unchecked(source * 1_000_003 + tag * 10_007 + number * 101 + i);
    return data;
}

int Fail(string collective, int count)
{
    Console.Error.WriteLine($"rank {Communicator.World.Rank}: {collective} of {count} elements gave a wrong result");
    return 1;
}
