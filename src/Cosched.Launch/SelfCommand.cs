namespace Cosched.Launch;

/// <summary>The command line that starts this very program again, for commands whose ranks run
/// the CLI itself (bench, npb): `dotnet Cosched.Cli.dll` or the apphost.</summary>
public static class SelfCommand
{
    public static IReadOnlyList<string> Current()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        bool viaDotnet = Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry);
        return viaDotnet ? [process, entry!] : [process];
    }
}
