namespace Cosched.Domains.Tests;

/// <summary>A fact that needs root (namespace VMs); skipped with a clear message otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Cli.IsRoot) Skip = Cli.NotRoot;
    }
}

/// <summary>A theory that needs root (namespace VMs); skipped with a clear message otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Cli.IsRoot) Skip = Cli.NotRoot;
    }
}
