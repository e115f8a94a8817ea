namespace Cosched.Messaging;

/// <summary>A job's id and secret: random bytes from the kernel's CSPRNG. Read straight from
/// /dev/urandom (what RandomNumberGenerator ends in on Linux too) because .NET's RandomNumberGenerator
/// first loads OpenSSL, about 7 ms of every `cosched run`'s start-up.</summary>
public static class JobIdentity
{
    public static string NewId() => Convert.ToHexString(RandomBytes(4)).ToLowerInvariant();

    public static string NewSecret() => Convert.ToHexString(RandomBytes(16));

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        using var source = new FileStream("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        source.ReadExactly(bytes);
        return bytes;
    }
}
