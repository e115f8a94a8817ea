using System.Globalization;

namespace Cosched.Study.Running;

/// <summary>Reads the tables Intel MPI Benchmarks prints: after `# Benchmarking NAME`, a header line
/// (`#bytes #repetitions t[usec] Mbytes/sec` for PingPong, `#bytes #repetitions t_min[usec]
/// t_max[usec] t_avg[usec]` for collectives, Barrier without `#bytes`) and one row per size.</summary>
public static class ImbOutput
{
    public static List<Measurement> Parse(string output, string imbName)
    {
        var rows = new List<Measurement>();
        bool inBlock = false;
        string[]? header = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# Benchmarking ", StringComparison.Ordinal))
            {
                inBlock = line["# Benchmarking ".Length..].Trim().Equals(imbName, StringComparison.OrdinalIgnoreCase);
                header = null;
                continue;
            }
            if (!inBlock || line.Length == 0) continue;
            if (line.StartsWith("#bytes", StringComparison.Ordinal) || line.StartsWith("#repetitions", StringComparison.Ordinal))
            {
                header = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                continue;
            }
            if (header == null || line.StartsWith('#')) continue;
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.Contains("time-out", StringComparison.Ordinal)) continue;   // IMB gave up on this size
            if (cells.Length != header.Length || !cells.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                inBlock = false;   // the block ended (IMB prints other text after its table)
                continue;
            }
            double? Cell(string name)
            {
                int i = Array.IndexOf(header, name);
                return i < 0 ? null : double.Parse(cells[i], CultureInfo.InvariantCulture);
            }
            rows.Add(new Measurement(
                (long)(Cell("#bytes") ?? 0), (long)(Cell("#repetitions") ?? 0),
                Cell("t[usec]"), Cell("Mbytes/sec"), Cell("t_min[usec]"), Cell("t_max[usec]"), Cell("t_avg[usec]")));
        }
        return rows;
    }
}
