using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cosched.Scheduling.Metrics;

/// <summary>The JSON of results: snake_case names (makespan_s, mean_wait_s, ...).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ScheduleResult))]
[JsonSerializable(typeof(ScheduleMetrics))]
[JsonSerializable(typeof(PolicyLine))]
[JsonSerializable(typeof(CalibrationResult))]
public sealed partial class MetricsJson : JsonSerializerContext
{
    public static string Line(string policy, string kind, ScheduleMetrics m, CalibrationResult? calibration = null) =>
        JsonSerializer.Serialize(new PolicyLine(policy, kind, m.Jobs, m.MakespanS, m.Utilisation, m.MeanWaitS, m.P95WaitS, m.MeanBoundedSlowdown, m.JobsPerHour, m.Migrations, m.Moves,
            calibration?.MakespanError), Default.PolicyLine);

    public static ScheduleResult ReadResult(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), Default.ScheduleResult) ?? throw new JsonException($"{path}: empty");
}

/// <summary>One policy's metrics as <c>--format json</c> prints them.</summary>
public sealed record PolicyLine(string Policy, string Kind, int Jobs, double MakespanS, double Utilisation, double MeanWaitS, double P95WaitS,
    double MeanBoundedSlowdown, double JobsPerHour, int Migrations, int Moves,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CalibrationMakespanError);
