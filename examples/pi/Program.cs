// Computes pi as the integral of 4 / (1 + x^2) over [0, 1] with the midpoint rule; each rank sums
// every size-th interval, Reduce adds the parts up at rank 0, and Allreduce finds the slowest rank.
// Run: ./cosched run -n 4 -- dotnet examples/pi/bin/Release/net10.0/pi.dll [intervals]
using System.Diagnostics;
using Cosched.Messaging;

long intervals = args.Length > 0 && long.TryParse(args[0], out long n) && n > 0 ? n : 100_000_000;

var world = Communicator.World;
long start = Stopwatch.GetTimestamp();

double width = 1.0 / intervals;
double part = 0;
for (long i = world.Rank; i < intervals; i += world.Size)
{
    double x = (i + 0.5) * width;
    part += 4.0 / (1.0 + x * x);
}
part *= width;

// The sum of all parts, at rank 0 only.
Span<double> pi = [0];
world.Reduce<double>([part], pi, ReduceOp<double>.Sum, root: 0);

// Every rank learns how long the slowest one computed.
Span<double> slowest = [0];
world.Allreduce<double>([Stopwatch.GetElapsedTime(start).TotalSeconds], slowest, ReduceOp<double>.Max);

if (world.Rank == 0)
{
    Console.WriteLine($"pi ~ {pi[0]:F15} with {intervals} intervals on {world.Size} ranks (error {Math.Abs(pi[0] - Math.PI):E2})");
    Console.WriteLine($"slowest rank took {slowest[0] * 1000:F1} ms");
}
Runtime.Shutdown();
