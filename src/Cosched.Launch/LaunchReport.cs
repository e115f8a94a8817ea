using System.Text.Json;
using System.Text.Json.Serialization;
using Cosched.Domains;
using Cosched.Messaging;

namespace Cosched.Launch;

/// <summary>What a launcher decided for a job (--launch-report): one line of JSON, so that a program
/// driving cosched (the study runner) reads the provider and placement instead of parsing prose.</summary>
/// <param name="Cores">How many cores the launcher may use.</param>
/// <param name="Bound">Whether each rank is pinned to one core.</param>
public sealed record LaunchReport(
    string Launcher, string Job, int Ranks, int Vms, string VmKind, bool Emulation, string Pin, string Channels,
    int Cores, bool Bound, bool Oversubscribed, IReadOnlyList<LaunchReport.RankPlacement> Placement)
{
    /// <summary>Where one rank runs: its VM (-1 natively), the cores it may run on ([] when unbound
    /// natively) and its simulated host (where it starts: VMs may move).</summary>
    public sealed record RankPlacement(int Rank, int Vm, int[] Cores, int Host = 0);

    /// <summary>Simulated hosts the cores are split into (--hosts).</summary>
    public int Hosts { get; init; } = 1;

    /// <summary>More hosts than cores: the hosts share cores.</summary>
    public bool HostsShareCores { get; init; }

    /// <summary>The report of a job placed by <paramref name="placement"/> (Vms 0: native) in
    /// <paramref name="vms"/> (null: native), on <paramref name="cores"/> allowed cores.</summary>
    public static LaunchReport Of(string launcher, string job, Placement placement, VirtualMachines? vms,
        PinPolicy pin, ChannelPolicy channels, int cores, bool bound)
    {
        var ranks = Enumerable.Range(0, placement.Ranks).Select(r => new RankPlacement(r,
            placement.Vms > 0 ? placement.VmOfRank[r] : -1,
            bound ? [placement.CoreOfRank[r]] : placement.Vms > 0 ? placement.CoresOfVm[placement.VmOfRank[r]]
            : placement.Hosts > 1 ? placement.CoresOfHost[placement.HostOfRank(r)] : [], placement.HostOfRank(r))).ToArray();
        return new LaunchReport(launcher, job, placement.Ranks, placement.Vms, vms?.Kind.Name() ?? "native", vms?.IsEmulation ?? false,
            pin.Name(), channels.Name(), cores, bound, placement.Ranks > cores, ranks) { Hosts = placement.Hosts, HostsShareCores = placement.HostsShareCores };
    }

    /// <summary>Writes the report to <paramref name="path"/> (mode 0600) through a file renamed into
    /// place, so that a reader sees either no report or the whole line.</summary>
    public void Write(string path)
    {
        var partial = path + ".partial";
        File.Delete(partial); // an old one would keep its mode
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var file = new FileStream(partial, create))
        {
            JsonSerializer.Serialize(file, this, LaunchReportJson.Default.LaunchReport);
            file.WriteByte((byte)'\n');
        }
        File.Move(partial, path, overwrite: true);
    }
}

/// <summary>The report's JSON (snake_case names), generated at compile time: the ahead-of-time
/// `cosched run` has no reflection-based serializer.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LaunchReport))]
internal sealed partial class LaunchReportJson : JsonSerializerContext;
