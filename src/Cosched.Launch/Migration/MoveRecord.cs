using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cosched.Launch;

/// <summary>What one move did, phase by phase (milliseconds), as `cosched migrate` prints it and
/// every rank receives it (DONE): bench pingpong --timeseries puts it in its json.</summary>
public sealed record MoveRecord
{
    [JsonPropertyName("move")] public int Move { get; init; }
    [JsonPropertyName("vm")] public int Vm { get; init; }
    [JsonPropertyName("from")] public int From { get; init; }
    [JsonPropertyName("to")] public int To { get; init; }
    /// <summary>Seconds since the job's clock started (the timed phase of a benchmark, else the ranks' start).</summary>
    [JsonPropertyName("at_s")] public double AtSeconds { get; init; }
    [JsonPropertyName("suspend_ms")] public double SuspendMs { get; init; }
    [JsonPropertyName("move_ms")] public double MoveMs { get; init; }
    [JsonPropertyName("attach_ms")] public double AttachMs { get; init; }
    [JsonPropertyName("reselect_ms")] public double ReselectMs { get; init; }
    [JsonPropertyName("total_ms")] public double TotalMs { get; init; }
    /// <summary>The longest time any rank's channel switch kept its messages waiting, over all phases.</summary>
    [JsonPropertyName("longest_wait_ms")] public double LongestWaitMs { get; init; }
    [JsonPropertyName("what_moved")] public string WhatMoved { get; init; } = "";
    /// <summary>QEMU's own figures of the live migration (qemu provider only).</summary>
    [JsonPropertyName("qemu"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Cosched.Domains.Qemu.QemuMigration? Qemu { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, MoveRecordJsonContext.Default.MoveRecord);

    /// <summary>The phases in one line for people.</summary>
    public string Describe() =>
        FormattableString.Invariant($"move {Move}: vm {Vm} host {From} -> {To}: suspend {SuspendMs:0.###} ms, move {MoveMs:0.###} ms, attach {AttachMs:0.###} ms, re-select {ReselectMs:0.###} ms, total {TotalMs:0.###} ms, longest message wait {LongestWaitMs:0.###} ms ({WhatMoved})");
}

[JsonSerializable(typeof(MoveRecord))]
public sealed partial class MoveRecordJsonContext : JsonSerializerContext;

/// <summary>A move that cannot be made (no such VM or host, already there, another move running,
/// the job finished): one line for the requester, exit 2.</summary>
public sealed class MoveRefusedException(string message) : Exception(message);
