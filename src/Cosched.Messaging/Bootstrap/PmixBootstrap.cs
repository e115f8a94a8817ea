using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Cosched.Messaging.Native;
using Cosched.Messaging.Transports;

namespace Cosched.Messaging;

/// <summary>The job's key-value store from a PMIx server: Slurm's slurmstepd under
/// <c>srun --mpi=pmix</c>, or Open MPI's mpirun. PMIx gives the rank, the job's size and the ranks on
/// this node; Cosched adds the rest: the job's secret (put by rank 0, so only the job's processes,
/// which the PMIx server authenticates, ever read it) and the node's segment (made by the node's lowest
/// rank, like the launcher's, mode 0600, removed once every rank of the node has mapped it).</summary>
internal sealed unsafe class PmixBootstrap : IBootstrap
{
    private Pmix.Proc _self;
    private bool _finalized;

    public int Rank => (int)_self.Rank;
    public string Namespace => _self.NamespaceText;

    private PmixBootstrap()
    {
        Pmix.Proc self;
        int status;
        try
        {
            status = Pmix.Init(&self, null, 0);
        }
        catch (DllNotFoundException)
        {
            throw new BootstrapException("this process was started under PMIx, but libpmix.so.2 is not installed (Debian: apt-get install libpmix2)");
        }
        if (status != Pmix.Success) throw new BootstrapException($"PMIx_Init failed: {Pmix.Describe(status)} (is the PMIx server of srun or mpirun still there?)");
        _self = self;
    }

    /// <summary>Joins the job: PMIx_Init, the node's segment and the job's secret (one fence).</summary>
    public static (JobSettings Job, PmixBootstrap Bootstrap) Join(ChannelPolicy policy, string? bindAddress)
    {
        var bootstrap = new PmixBootstrap();
        string? segmentPath = null;
        bool madeSegment = false;
        try
        {
            int rank = bootstrap.Rank;
            int size = (int)bootstrap.JobUInt32(Pmix.JobSizeKey);
            var local = ParsePeers(bootstrap.JobString(Pmix.LocalPeersKey), rank);
            int leader = local.Min();
            // One node's ranks share its segment; the name is the job's and the node's (its lowest rank).
            if (local.Length > 1 && size > 1)
            {
                var job = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap.Namespace)))[..16].ToLowerInvariant();
                segmentPath = $"/dev/shm/cosched-pmix-{job}-{leader}";
                if (rank == leader)
                {
                    File.Delete(segmentPath); // a crashed run of a job with the same namespace
                    ShmSegment.Create(segmentPath, size).Dispose();
                    madeSegment = true;
                }
            }
            if (rank == 0) bootstrap.Put(BootstrapKeys.Secret, JobIdentity.NewSecret());
            var machine = MachineId();
            bootstrap.Put(MachineKey, machine);
            bootstrap.Fence();
            var secret = bootstrap.Get(0, BootstrapKeys.Secret);
            // Several Slurm nodes may be one machine (slurmd -N, containers): their ranks compete for
            // its cores, so a waiting rank must yield rather than spin (see Backoff.SpinTicksFor).
            int machineRanks = 0;
            for (int r = 0; r < size; r++) if (bootstrap.Get(r, MachineKey) == machine) machineRanks++;
            bool allHere = local.Length == size;
            var bind = bindAddress ?? (allHere ? "127.0.0.1" : NodeAddress());
            var settings = new JobSettings(rank, size, secret, policy, segmentPath, bind)
            {
                Node = Environment.MachineName,
                RemoveSegmentAfterWireup = madeSegment,
                MachineRanks = machineRanks,
            };
            return (settings, bootstrap);
        }
        catch
        {
            if (madeSegment) File.Delete(segmentPath!);
            bootstrap.Dispose();
            throw;
        }
    }

    /// <summary>The key under which each rank puts the identity of the machine (kernel) it runs on.</summary>
    private const string MachineKey = "cosched.machine";

    /// <summary>This kernel's boot id: the same for every process of one machine, whatever its
    /// namespaces or hostname; the host name where it cannot be read.</summary>
    private static string MachineId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return Environment.MachineName;
        }
    }

    /// <summary>PMIx's comma-separated list of this node's ranks of the job (always holding our own).</summary>
    internal static int[] ParsePeers(string text, int self)
    {
        var peers = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            peers.Add(int.TryParse(part, out int r) && r >= 0 ? r : throw new BootstrapException($"PMIx gave a malformed list of local ranks: '{text}'"));
        if (!peers.Contains(self)) peers.Add(self);
        return peers.ToArray();
    }

    /// <summary>The address other nodes reach this one at: COSCHED_TCP_IF's, else the first IPv4
    /// address of an interface that is up and not loopback.</summary>
    private static string NodeAddress()
    {
        var wanted = Environment.GetEnvironmentVariable(JobSettings.TcpInterfaceVariable);
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (wanted != null ? nic.Name != wanted : nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (var address in nic.GetIPProperties().UnicastAddresses)
                if (address.Address.AddressFamily == AddressFamily.InterNetwork) return address.Address.ToString();
        }
        throw new BootstrapException(wanted != null
            ? $"{JobSettings.TcpInterfaceVariable}={wanted}: no such interface with an IPv4 address"
            : $"this node has no network interface up besides loopback: ranks on other nodes cannot reach it (set {JobSettings.BindVariable} or {JobSettings.TcpInterfaceVariable})");
    }

    public void Put(string key, string value)
    {
        var keyBytes = Pmix.Text(key);
        var valueBytes = Pmix.Text(value);
        fixed (byte* k = keyBytes, v = valueBytes)
        {
            var data = new Pmix.Value { Type = Pmix.TypeString, String = v };
            Check(Pmix.Put(Pmix.ScopeGlobal, k, &data), $"PMIx_Put {key}");
        }
    }

    public void Fence()
    {
        Check(Pmix.Commit(), "PMIx_Commit");
        Pmix.Info collect;
        var key = Pmix.Text(Pmix.CollectDataKey);
        new Span<byte>(&collect, sizeof(Pmix.Info)).Clear();
        key.CopyTo(new Span<byte>(collect.Key, 512));
        collect.Value.Type = Pmix.TypeBool;
        collect.Value.Flag = 1;
        // All of the job's processes: our namespace with the wildcard rank.
        var all = _self;
        all.Rank = Pmix.RankWildcard;
        Check(Pmix.Fence(&all, 1, &collect, 1), "PMIx_Fence");
    }

    public string Get(int rank, string key) => StringOf((uint)rank, key);

    private string JobString(string key) => StringOf(Pmix.RankWildcard, key);

    private string StringOf(uint rank, string key)
    {
        var value = GetValue(rank, key);
        try
        {
            return value->Type == Pmix.TypeString ? Marshal.PtrToStringUTF8((nint)value->String) ?? ""
                : throw new BootstrapException($"PMIx: '{key}' of {Whose(rank)} is not a string");
        }
        finally { Release(value); }
    }

    private uint JobUInt32(string key)
    {
        var value = GetValue(Pmix.RankWildcard, key);
        try
        {
            return value->Type switch
            {
                Pmix.TypeUInt32 => value->UInt32,
                Pmix.TypeUInt16 => value->UInt16,
                _ => throw new BootstrapException($"PMIx: '{key}' is not a number"),
            };
        }
        finally { Release(value); }
    }

    private Pmix.Value* GetValue(uint rank, string key)
    {
        var proc = _self;
        proc.Rank = rank;
        Pmix.Value* value = null;
        fixed (byte* k = Pmix.Text(key))
        {
            int status = Pmix.Get(&proc, k, null, 0, &value);
            if (status != Pmix.Success || value == null)
                throw new BootstrapException($"PMIx_Get {key} of {Whose(rank)}: {Pmix.Describe(status)}");
        }
        return value;
    }

    private static string Whose(uint rank) => rank == Pmix.RankWildcard ? "the job" : $"rank {rank}";

    private static void Release(Pmix.Value* value)
    {
        Pmix.ValueDestruct(value);
        NativeMemory.Free(value);
    }

    private static void Check(int status, string call)
    {
        if (status != Pmix.Success) throw new BootstrapException($"{call} failed: {Pmix.Describe(status)}");
    }

    /// <summary>Asks the PMIx server to end the whole job (srun's step, mpirun's job) with <paramref name="code"/>.</summary>
    public void Abort(int code, string message)
    {
        fixed (byte* text = Pmix.Text(message)) Pmix.Abort(code, text, null, 0);
    }

    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        Pmix.Finalize(null, 0);
    }
}
