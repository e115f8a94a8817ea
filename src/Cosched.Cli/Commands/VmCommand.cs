using System.CommandLine;
using Cosched.Domains;
using Cosched.Domains.Qemu;
using Cosched.Launch.Guest;

namespace Cosched.Cli.Commands;

/// <summary>`cosched vm`: the qemu provider's parts a user may call by hand: `vm image` builds (or
/// finds) the guest image and says what is in it; `vm agent` is what a guest's /init runs.</summary>
public static class VmCommand
{
    public static Command Create()
    {
        var programs = new Option<string[]>("--program") { Description = "a program the job's ranks run (its directory goes into the image); repeatable", HelpName = "PATH", AllowMultipleArgumentsPerToken = false };
        var image = new Command("image", "build the QEMU guest image (or find it in the cache) and describe it") { programs };
        image.SetAction(result =>
        {
            var paths = result.GetValue(programs) ?? [];
            foreach (var path in paths)
                if (!File.Exists(path)) throw new UsageException($"no such program '{path}'");
            try
            {
                var built = GuestImage.Ensure(paths.Select(Path.GetFullPath).ToArray(), line => Console.WriteLine($"cosched vm image: {line}"));
                foreach (var line in built.Describe()) Console.WriteLine(line);
                return 0;
            }
            catch (DomainException e)
            {
                Console.Error.WriteLine($"cosched: {e.Message}");
                return 1;
            }
        });

        var port = new Argument<string>("port") { Description = "the virtio-serial port the launcher talks to" };
        var agent = new Command("agent", "run the guest agent (inside a QEMU guest; started by its /init)") { port };
        agent.SetAction(result => GuestAgent.Run(result.GetValue(port)!));

        return new Command("vm", "the QEMU guests of --vm-kind qemu: build their image; the agent they run") { image, agent };
    }
}
