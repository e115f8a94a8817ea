using System.Text.Json.Serialization;

namespace Cosched.Domains.Qemu;

/// <summary>The words of the management channel between the launcher and the guest agent (one line
/// each, over the guest's virtio-serial port; text payloads in base64). Job data never travels here.</summary>
/// <remarks>Launcher to agent: START rank base64(json {argv, env, cwd}); SIGNAL rank signal;
/// SEGMENT id path ranks ringBytes (make the VM's segment in the guest's /dev/shm); DEVICE id
/// sysfs-dir (wait for a PCI device, enable it); HOLD id (before a migration: answer, then
/// keep every further line queued); RESUME (over the destination's connection: send what was
/// queued). Agent to launcher: HELLO
/// hostname; STARTED rank pid; OUT rank base64; ERR rank base64; EXIT rank code; READY id; FAILED id
/// message.</remarks>
public static class AgentProtocol
{
    public const string Start = "START", Signal = "SIGNAL", Segment = "SEGMENT", Device = "DEVICE", Hold = "HOLD", Resume = "RESUME";
    public const string Hello = "HELLO", Started = "STARTED", Out = "OUT", Err = "ERR", Exit = "EXIT", Ready = "READY", Failed = "FAILED";
}

/// <summary>What START carries.</summary>
public sealed record GuestCommand(string[] Argv, Dictionary<string, string> Env, string Cwd);

/// <summary>START's payload as JSON, generated at compile time (the ahead-of-time launcher has no
/// reflection-based serializer).</summary>
[JsonSerializable(typeof(GuestCommand))]
public sealed partial class GuestCommandJson : JsonSerializerContext;
