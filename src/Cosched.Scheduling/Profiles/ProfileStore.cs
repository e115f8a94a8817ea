using System.Globalization;
using Cosched.Scheduling.Profiling;
using Cosched.Study.Store;
using Microsoft.Data.Sqlite;

namespace Cosched.Scheduling.Profiles;

/// <summary>Keeps <c>cosched profile</c>'s measurements in the study's database (DIR/study.db): a row
/// per profiling run in <c>profiles</c>, its applications in <c>profile_apps</c> and every raw round in
/// <c>profile_runs</c>, so that the medians can be recomputed; <see cref="Load"/> gives the latest
/// run's medians as a <see cref="ProfileSet"/>.</summary>
public static class ProfileStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS profiles (
          id INTEGER PRIMARY KEY, machine_id INTEGER REFERENCES machines(id), recorded_utc TEXT, machine TEXT, profile_json TEXT);
        CREATE TABLE IF NOT EXISTS profile_apps (
          profile_id INTEGER REFERENCES profiles(id), position INTEGER, name TEXT, command TEXT);
        CREATE TABLE IF NOT EXISTS profile_runs (
          profile_id INTEGER REFERENCES profiles(id), app TEXT, command TEXT, kind TEXT, ranks INTEGER, vms INTEGER,
          beside TEXT, round INTEGER, value REAL, vm_kind TEXT, machine_id INTEGER REFERENCES machines(id));
        """;

    /// <summary>Stores a profiling run: the set as computed (for reference), its applications and the raw rows.</summary>
    /// <param name="machine">the machine it ran on (default: this one).</param>
    /// <returns>the profile's id.</returns>
    public static long Save(string directory, ProfileSet set, IReadOnlyList<ProfileMeasurement> rows, MachineInfo? machine = null)
    {
        long machineId;
        // The study's store makes the directory, its .gitignore and the machines table the rows refer to.
        using (var store = ResultsStore.Open(directory))
            machineId = store.AddMachine(machine ?? MachineInfo.Current(AppContext.BaseDirectory));
        using var connection = Open(directory);
        Execute(connection, Schema);
        // One transaction: a profile is stored whole or not at all, and thousands of rows go in at once.
        Execute(connection, "BEGIN");
        long id = (long)Scalar(connection, "INSERT INTO profiles (machine_id, recorded_utc, machine, profile_json) VALUES ($m, $t, $machine, $json); SELECT last_insert_rowid();",
            ("$m", machineId), ("$t", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("$machine", set.Machine), ("$json", set.ToJson()))!;
        int position = 0;
        foreach (var application in set.Applications)
            Scalar(connection, "INSERT INTO profile_apps (profile_id, position, name, command) VALUES ($p, $i, $n, $c)",
                ("$p", id), ("$i", position++), ("$n", application.Name), ("$c", application.Command));
        foreach (var row in rows)
            Scalar(connection, """
                INSERT INTO profile_runs (profile_id, app, command, kind, ranks, vms, beside, round, value, vm_kind, machine_id)
                VALUES ($p, $app, $command, $kind, $ranks, $vms, $beside, $round, $value, $vmKind, $m)
                """,
                ("$p", id), ("$app", row.App), ("$command", row.Command), ("$kind", row.Kind), ("$ranks", row.Ranks), ("$vms", row.Vms),
                ("$beside", row.Beside), ("$round", row.Round), ("$value", row.Value), ("$vmKind", row.VmKind), ("$m", machineId));
        Execute(connection, "COMMIT");
        return id;
    }

    /// <summary>The latest profiling run's medians; null when the directory's database holds no profile.</summary>
    public static ProfileSet? Load(string directory)
    {
        if (LoadRows(directory) is not var (applications, rows, machine)) return null;
        return ProfileSummary.From(applications, rows, machine);
    }

    /// <summary>The latest profiling run's applications, raw rows and machine; null when there is none.</summary>
    public static (List<(string Name, string Command)> Applications, List<ProfileMeasurement> Rows, string Machine)? LoadRows(string directory)
    {
        if (!File.Exists(ResultsStore.PathIn(directory))) return null;
        using var connection = Open(directory);
        if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'profiles'") is not long tables || tables == 0) return null;
        if (Scalar(connection, "SELECT max(id) FROM profiles") is not long id) return null;
        string machine = Scalar(connection, "SELECT machine FROM profiles WHERE id = $p", ("$p", id)) as string ?? "";
        var applications = new List<(string, string)>();
        using (var command = Command(connection, "SELECT name, command FROM profile_apps WHERE profile_id = $p ORDER BY position", ("$p", id)))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) applications.Add((reader.GetString(0), reader.GetString(1)));
        var rows = new List<ProfileMeasurement>();
        using (var command = Command(connection, "SELECT app, command, kind, ranks, vms, beside, round, value, vm_kind FROM profile_runs WHERE profile_id = $p ORDER BY rowid", ("$p", id)))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                rows.Add(new ProfileMeasurement(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6), reader.GetDouble(7), reader.GetString(8)));
        return (applications, rows, machine);
    }

    private static SqliteConnection Open(string directory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ResultsStore.PathIn(directory), Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
