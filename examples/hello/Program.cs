// Every rank says who it is. Run: ./cosched run -n 4 -- dotnet examples/hello/bin/Release/net10.0/hello.dll
using Cosched.Messaging;

// The first use of World joins the job the launcher started (alone, it is a job of one rank).
var world = Communicator.World;
Console.WriteLine($"hello from rank {world.Rank} of {world.Size} on {Environment.MachineName} (pid {Environment.ProcessId})");

// Leave the job (MPI_Finalize): waits for every rank, then closes the channels.
Runtime.Shutdown();
