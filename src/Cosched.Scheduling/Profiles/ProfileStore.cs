namespace Cosched.Scheduling.Profiles;

// Placeholder until the profile branch lands (replaced by its ProfileStore).
public static class ProfileStore
{
    public static ProfileSet? Load(string directory) => null;
}
