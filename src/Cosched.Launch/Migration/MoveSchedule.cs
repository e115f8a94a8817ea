using System.Globalization;

namespace Cosched.Launch;

/// <summary>Moves that --migrate schedules: AT:VM:HOST[,...] (AT seconds after the clock starts:
/// the job's ranks have joined, or a benchmark's timed phase began), or rotate:SECONDS (every
/// SECONDS one VM after another moves to the next host, until the job ends).</summary>
public sealed record MoveSchedule(IReadOnlyList<MoveSchedule.Step> Steps, double? RotateSeconds)
{
    public readonly record struct Step(double At, int Vm, int Host);

    /// <summary>Parses the flag's text; throws FormatException with a one-line reason.</summary>
    public static MoveSchedule Parse(string text)
    {
        if (text.StartsWith("rotate:", StringComparison.Ordinal))
        {
            if (!double.TryParse(text["rotate:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double every) || !(every > 0) || every > 86400)
                throw new FormatException($"--migrate rotate:SECONDS needs a positive number of seconds (got '{text}')");
            return new MoveSchedule([], every);
        }
        var steps = new List<Step>();
        foreach (var item in text.Split(','))
        {
            var parts = item.Split(':');
            if (parts.Length != 3 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double at) || !(at >= 0) ||
                !int.TryParse(parts[1], out int vm) || !int.TryParse(parts[2], out int host))
                throw new FormatException($"--migrate expects AT:VM:HOST[,...] or rotate:SECONDS (got '{item}')");
            steps.Add(new Step(at, vm, host));
        }
        return new MoveSchedule(steps.OrderBy(s => s.At).ToArray(), null);
    }

    /// <summary>Checks the schedule against the job; returns a one-line problem or null.</summary>
    public string? Validate(int vms, int hosts)
    {
        if (vms == 0) return "--migrate needs VMs (--vms K)";
        if (hosts < 2) return "--migrate needs at least two hosts (--hosts H)";
        foreach (var step in Steps)
        {
            if (step.Vm < 0 || step.Vm >= vms) return $"--migrate: VM {step.Vm} does not exist (VMs are 0..{vms - 1})";
            if (step.Host < 0 || step.Host >= hosts) return $"--migrate: host {step.Host} does not exist (hosts are 0..{hosts - 1})";
        }
        return null;
    }
}
