// A rank program for the launcher's tests: each mode behaves like one kind of user program.
using Cosched.Messaging;

var mode = args.Length > 0 ? args[0] : "hello";
var world = Communicator.World;
// Tests look for what this very job left behind (other jobs may run beside it), so name it.
if (world.Rank == 0 && mode is "exchange" or "exit" or "forever")
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
    case "collectives":
        // Every collective at sizes from one element to past the eager limit, checked on every rank.
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
        world.Barrier();
        if (world.Rank == 0) Console.WriteLine("collectives ok");
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}
return 0;

int Fail(string collective, int count)
{
    Console.Error.WriteLine($"rank {Communicator.World.Rank}: {collective} of {count} elements gave a wrong result");
    return 1;
}
