namespace Cosched.Domains;

/// <summary>The /24s of 10.213.0.0/16 that jobs with VMs on a bridge take, one per job.</summary>
internal static class Subnets
{
    /// <summary>Takes the first free /24, starting from one derived from the job id; creating the
    /// reservation file is atomic, so concurrent jobs never get the same subnet. Returns its index.</summary>
    public static int Reserve(string job)
    {
        Directory.CreateDirectory(NamespaceMachines.RunRoot);
        int start = Convert.ToInt32(job[..2], 16);
        for (int i = 0; i < 256; i++)
        {
            int index = (start + i) % 256;
            try
            {
                using var file = new FileStream(File(index), FileMode.CreateNew, FileAccess.Write);
                file.Write(System.Text.Encoding.ASCII.GetBytes(job));
                return index;
            }
            catch (IOException)
            {
            }
        }
        throw new DomainException("no free subnet in 10.213.0.0/16 (run 'cosched clean' to release those of crashed jobs)");
    }

    public static string File(int index) => Path.Combine(NamespaceMachines.RunRoot, $"subnet-{index}");

    /// <summary>Address <paramref name="host"/> (1..254) in subnet <paramref name="index"/>.</summary>
    public static string Address(int index, int host) => $"10.213.{index}.{host}";
}
