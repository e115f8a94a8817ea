// A token travels around the ring of ranks; each rank adds one and passes it on.
// Run: ./cosched run -n 4 -- dotnet examples/ring/bin/Release/net10.0/ring.dll [laps]
using System.Diagnostics;
using Cosched.Messaging;

int laps = args.Length > 0 && int.TryParse(args[0], out int n) && n > 0 ? n : 10_000;
const int Tag = 0;

var world = Communicator.World;
int next = (world.Rank + 1) % world.Size;
int previous = (world.Rank - 1 + world.Size) % world.Size;

world.Barrier();
long start = Stopwatch.GetTimestamp();
int token = 0;
for (int lap = 0; lap < laps; lap++)
{
    if (world.Rank == 0)
    {
        // Rank 0 starts each lap and gets the token back at its end.
        world.Send(token + 1, next, Tag);
        token = world.Recv<int>(previous, Tag);
    }
    else
    {
        token = world.Recv<int>(previous, Tag);
        world.Send(token + 1, next, Tag);
    }
}
var elapsed = Stopwatch.GetElapsedTime(start);

if (world.Rank == 0)
{
    long hops = (long)laps * world.Size;
    Console.WriteLine($"ring of {world.Size} ranks: {laps} laps, token = {token} (expected {hops})");
    Console.WriteLine($"{elapsed.TotalMilliseconds:F1} ms in all, {elapsed.TotalMicroseconds / hops:F2} us per hop " +
                      $"(channel to the next rank: {world.ChannelTo(next)})");
    if (token != hops) Environment.ExitCode = 1;
}
Runtime.Shutdown();
