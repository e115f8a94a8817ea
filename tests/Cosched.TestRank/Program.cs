// A rank program for the launcher's tests: each mode behaves like one kind of user program.
using Cosched.Messaging;

var mode = args.Length > 0 ? args[0] : "hello";
var world = Communicator.World;
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
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}
return 0;
