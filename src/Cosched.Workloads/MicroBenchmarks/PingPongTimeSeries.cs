using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cosched.Messaging;

namespace Cosched.Workloads.MicroBenchmarks;

/// <summary>`bench pingpong --timeseries`: ranks 0 and 1 play pingpong for --time seconds and rank 0
/// reports the one-way latency (half the round trip, as IMB) of every short window with the channel
/// it used, so a move shows as a step from tcp to shared memory or back. Other ranks only wait (they
/// still take part in moves).</summary>
public static class PingPongTimeSeries
{
    /// <summary>Length of one row's window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(20);

    private const int PingTag = 0, StopTag = 1;

    /// <summary>One window: seconds since the start, mean one-way latency, round trips, channel to rank 1.</summary>
    public readonly record struct Row(double Seconds, double LatencyMicros, int RoundTrips, string Channel);

    public static int Run(Communicator comm, MicroBenchmarkOptions options, TextWriter output)
    {
        var buffer = new byte[options.StatsBytes];
        var rows = new List<Row>();
        if (comm.Rank == 0)
        {
            Runtime.MarkTimedPhase();
            long windowTicks = (long)(Window.TotalSeconds * Stopwatch.Frequency);
            long start = Stopwatch.GetTimestamp(), end = start + (long)(options.Seconds * Stopwatch.Frequency);
            long windowStart = start;
            int trips = 0;
            while (true)
            {
                comm.Send<byte>(buffer, 1, PingTag);
                comm.Recv<byte>(buffer, 1, PingTag);
                trips++;
                long now = Stopwatch.GetTimestamp();
                if (now - windowStart < windowTicks) continue;
                double micros = (now - windowStart) * 1e6 / Stopwatch.Frequency / trips / 2;
                rows.Add(new Row((now - start) / (double)Stopwatch.Frequency, micros, trips, comm.RouteTo(1)));
                windowStart = now;
                trips = 0;
                if (now >= end) break;
            }
            comm.Send<byte>([], 1, StopTag);
        }
        else if (comm.Rank == 1)
        {
            while (comm.Recv<byte>(buffer, 0, Communicator.AnyTag).Tag == PingTag) comm.Send<byte>(buffer, 0, PingTag);
        }
        comm.Barrier();
        if (comm.Rank != 0) return 0;
        output.Write(options.Format == OutputFormat.Json ? Json(options, rows, Runtime.Migrations) : Text(options, rows));
        output.Flush();
        return 0;
    }

    private static string Text(MicroBenchmarkOptions options, List<Row> rows)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# PingPong time series: {options.StatsBytes} bytes, windows of {Window.TotalMilliseconds:0} ms, ranks 0 and 1\n");
        text.Append("#time[s]  t[usec]  roundtrips  channel\n");
        foreach (var row in rows)
            text.Append(CultureInfo.InvariantCulture, $"{row.Seconds,8:0.000} {row.LatencyMicros,8:0.00} {row.RoundTrips,11} {row.Channel}\n");
        foreach (var move in Runtime.Migrations) text.Append("# move ").Append(move).Append('\n');
        return text.ToString();
    }

    private static string Json(MicroBenchmarkOptions options, List<Row> rows, IReadOnlyList<string> migrations)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("benchmark", "pingpong");
            json.WriteNumber("bytes", options.StatsBytes);
            json.WriteString("channels", options.Channels);
            json.WriteNumber("window_ms", Window.TotalMilliseconds);
            json.WriteStartArray("timeseries");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("time_s", Math.Round(row.Seconds, 6));
                json.WriteNumber("latency_us", Math.Round(row.LatencyMicros, 4));
                json.WriteNumber("roundtrips", row.RoundTrips);
                json.WriteString("channel", row.Channel);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("migrations");
            foreach (var move in migrations)
            {
                try
                {
                    using var record = JsonDocument.Parse(move);
                    record.RootElement.WriteTo(json);
                }
                catch (JsonException)
                {
                    json.WriteStringValue(move); // not ours to judge: keep what the launcher said
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
