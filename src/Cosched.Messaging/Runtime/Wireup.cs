using Cosched.Messaging.Migration;
using Cosched.Messaging.Protocol;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

/// <summary>Starts a rank's channels: join the segments, publish the endpoint card, pick each
/// peer's channel (<see cref="ChannelDecision"/>) and build it (<see cref="ChannelFactory"/>).</summary>
internal static class Wireup
{
    /// <param name="segment">The segment of the rank's VM (natively: of the host); the engine owns it.</param>
    /// <param name="hostSegment">The host segment shared by the VMs of this host (locality policy only); the engine owns it.</param>
    public static Engine Start(JobSettings job, IBootstrap bootstrap, ShmSegment? segment, ShmSegment? hostSegment = null)
    {
        var factory = new ChannelFactory(job, segment, hostSegment);
        try
        {
            factory.SetCards(bootstrap.Exchange(factory.Card, job.Size));
            var peers = new Peer?[job.Size];
            var tcpPeers = new List<int>();
            int local = 1;
            for (int r = 0; r < job.Size; r++)
            {
                if (r == job.Rank) continue;
                var kind = factory.Desired(r);
                // Ranks that share our memory share our cores too, whatever channel the policy picks.
                if (factory.Membership(r) is (true, _) or (_, true)) local++;
                if (kind == ChannelKind.Tcp) tcpPeers.Add(r);
                else peers[r] = new Peer(r, factory.TryBuild(kind, r)!);
            }
            // Ranks in other VMs compete for the same cores without sharing memory with us; the launcher
            // says how many ranks run on this host in all (a scheduling hint only, never a channel choice).
            local = Math.Max(local, Math.Max(job.MachineRanks, Tuning.Int(JobSettings.HostRanksVariable, 0)));
            factory.ConnectAll(tcpPeers);
            foreach (int r in tcpPeers) peers[r] = new Peer(r, factory.TryBuild(ChannelKind.Tcp, r)!);
            var doorbell = factory.Doorbells?.DoorbellOf(job.Rank) ?? default;
            return new Engine(job.Rank, job.Size, peers, new Waiter(doorbell), factory) { SpinTicks = Backoff.SpinTicksFor(local) };
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }
}
