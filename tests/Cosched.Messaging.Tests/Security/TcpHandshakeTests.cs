using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Cosched.Messaging.Tests.Security;

/// <summary>A rank's tcp endpoint accepts only its job's ranks; strangers are refused and logged
/// and the job carries on.</summary>
public class TcpHandshakeTests
{
    [Fact]
    public void ConnectionWithoutTheJobSecretIsRefusedAndTheJobCarriesOn()
    {
        var log = new ConcurrentQueue<string>();
        var intruders = new ConcurrentBag<Socket>();
        var previous = Cosched.Messaging.Migration.ChannelFactory.Log;
        Cosched.Messaging.Migration.ChannelFactory.Log = log.Enqueue;
        try
        {
            InProcessJob.Run(3, world =>
            {
                var data = new int[1000];
                if (world.Rank == 0)
                {
                    for (int i = 0; i < data.Length; i++) data[i] = i;
                    world.Send<int>(data, 2, 5);
                }
                else if (world.Rank == 2)
                {
                    world.Recv<int>(data, 0, 5);
                    Assert.Equal(Enumerable.Range(0, 1000), data);
                }
                world.Barrier();
            }, ChannelPolicy.Network, timeout: null, onCardsPublished: cards =>
            {
                // Before any rank connects, a stranger knocks with a wrong secret on the endpoints
                // that accept connections (rank 2, the highest, only connects out).
                foreach (var card in cards[..2])
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    socket.Connect(IPEndPoint.Parse(card["tcp=".Length..]));
                    socket.Send(new byte[20]);
                    intruders.Add(socket);
                }
            });
        }
        finally
        {
            Cosched.Messaging.Migration.ChannelFactory.Log = previous;
        }
        Assert.Equal(2, intruders.Count);
        Assert.Equal(2, log.Count(line => line.Contains("refused a tcp connection") && line.EndsWith("wrong job secret")));
        foreach (var socket in intruders)
        {
            // The rank closed the stranger's connection: reading ends at once.
            socket.ReceiveTimeout = 5000;
            Assert.Equal(0, socket.Receive(new byte[1]));
            socket.Dispose();
        }
    }
}
