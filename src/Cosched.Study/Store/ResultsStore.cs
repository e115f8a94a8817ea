using System.Globalization;
using Cosched.Study.Plan;
using Cosched.Study.Running;
using Microsoft.Data.Sqlite;

namespace Cosched.Study.Store;

/// <summary>The study's SQLite database (DIR/study.db): the machines it ran on, one row per measured
/// or failed run (a configuration's round, with its ranks' threads), every raw measurement of those that succeeded (for the
/// migration experiment every latency window and every move), and the calibration runs that chose
/// the applications' problem sizes.</summary>
public sealed class ResultsStore : IDisposable
{
    public const string FileName = "study.db";
    private readonly SqliteConnection connection;

    private ResultsStore(string path)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute("""
            CREATE TABLE IF NOT EXISTS machines (
              id INTEGER PRIMARY KEY, cpu_model TEXT, cores INTEGER, kernel TEXT, dotnet TEXT,
              git_commit TEXT, host TEXT, root INTEGER, recorded_utc TEXT, load_average REAL);
            CREATE TABLE IF NOT EXISTS runs (
              id INTEGER PRIMARY KEY, key TEXT NOT NULL, experiment TEXT, mpi TEXT, workload TEXT, ranks INTEGER,
              vms INTEGER, pin TEXT, channels TEXT, msglog TEXT, time_seconds REAL, status TEXT, error TEXT,
              vm_kind TEXT, started_utc TEXT, elapsed_seconds REAL, command TEXT,
              machine_id INTEGER REFERENCES machines(id), round INTEGER DEFAULT 0, launch TEXT, threads INTEGER DEFAULT 1);
            CREATE INDEX IF NOT EXISTS runs_key ON runs(key);
            CREATE TABLE IF NOT EXISTS measurements (
              run_id INTEGER REFERENCES runs(id), bytes INTEGER, repetitions INTEGER, t_usec REAL,
              mbytes_per_sec REAL, t_min_usec REAL, t_max_usec REAL, t_avg_usec REAL);
            CREATE TABLE IF NOT EXISTS applications (
              run_id INTEGER REFERENCES runs(id), class TEXT, iterations INTEGER, seconds REAL,
              mops_total REAL, mops_per_process REAL, verified INTEGER);
            CREATE TABLE IF NOT EXISTS calibrations (
              workload TEXT, ranks INTEGER, class TEXT, seconds REAL, chosen INTEGER, machine_id INTEGER REFERENCES machines(id));
            CREATE TABLE IF NOT EXISTS timeseries (
              run_id INTEGER REFERENCES runs(id), bytes INTEGER, window_ms REAL);
            CREATE TABLE IF NOT EXISTS latency_windows (
              run_id INTEGER REFERENCES runs(id), time_s REAL, latency_usec REAL, roundtrips INTEGER, channel TEXT);
            CREATE TABLE IF NOT EXISTS moves (
              run_id INTEGER REFERENCES runs(id), move INTEGER, vm INTEGER, from_host INTEGER, to_host INTEGER, at_s REAL,
              suspend_ms REAL, move_ms REAL, attach_ms REAL, reselect_ms REAL, total_ms REAL, longest_wait_ms REAL, what_moved TEXT);
            """);
        // A database of a study before runs had rounds of their own: every run was round 0.
        if (!Columns("runs").Contains("round")) Execute("ALTER TABLE runs ADD COLUMN round INTEGER DEFAULT 0; ALTER TABLE runs ADD COLUMN launch TEXT;");
        // ... and before ranks had threads (NPB's multi-zone mixes): one each.
        if (!Columns("runs").Contains("threads")) Execute("ALTER TABLE runs ADD COLUMN threads INTEGER DEFAULT 1;");
    }

    private HashSet<string> Columns(string table)
    {
        using var command = Command($"PRAGMA table_info({table})");
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) names.Add(reader.GetString(1));
        return names;
    }

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Opens (creating when absent) the database of the study in <paramref name="directory"/>.</summary>
    public static ResultsStore Open(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            // A study run inside a checkout (the default ./study-results) must not show up as changes to commit.
            File.WriteAllText(Path.Combine(directory, ".gitignore"), "*\n");
        }
        return new ResultsStore(PathIn(directory));
    }

    /// <summary>Opens an existing study's database; null when the directory holds none.</summary>
    public static ResultsStore? OpenExisting(string directory) =>
        File.Exists(PathIn(directory)) ? new ResultsStore(PathIn(directory)) : null;

    public long AddMachine(MachineInfo machine)
    {
        using var command = Command("""
            INSERT INTO machines (cpu_model, cores, kernel, dotnet, git_commit, host, root, recorded_utc, load_average)
            VALUES ($cpu, $cores, $kernel, $dotnet, $git, $host, $root, $time, $load); SELECT last_insert_rowid();
            """,
            ("$cpu", machine.CpuModel), ("$cores", machine.Cores), ("$kernel", machine.Kernel), ("$dotnet", machine.DotNet),
            ("$git", machine.GitCommit), ("$host", machine.Host), ("$root", machine.Root ? 1 : 0), ("$time", Time(machine.RecordedUtc)), ("$load", machine.LoadAverage));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The (configuration key, round) pairs already measured successfully (what --resume skips).</summary>
    public HashSet<(string Key, int Round)> MeasuredRounds()
    {
        using var command = Command("SELECT DISTINCT key, round FROM runs WHERE status = 'ok'");
        using var reader = command.ExecuteReader();
        var done = new HashSet<(string, int)>();
        while (reader.Read()) done.Add((reader.GetString(0), reader.GetInt32(1)));
        return done;
    }

    /// <summary>Records what a calibration run of an application gave, and whether its class was chosen.</summary>
    public void AddCalibration(Calibration calibration, long machineId)
    {
        using var command = Command("INSERT INTO calibrations (workload, ranks, class, seconds, chosen, machine_id) VALUES ($w, $n, $c, $s, $chosen, $m)",
            ("$w", calibration.Workload), ("$n", calibration.Ranks), ("$c", calibration.Class), ("$s", calibration.Seconds),
            ("$chosen", calibration.Chosen ? 1 : 0), ("$m", machineId));
        command.ExecuteNonQuery();
    }

    public List<Calibration> Calibrations()
    {
        using var command = Command("SELECT workload, ranks, class, seconds, chosen FROM calibrations ORDER BY rowid");
        using var reader = command.ExecuteReader();
        var list = new List<Calibration>();
        while (reader.Read()) list.Add(new Calibration(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetDouble(3), reader.GetInt64(4) != 0));
        return list;
    }

    /// <summary>Stores one configuration's outcome and all its rows in one transaction.</summary>
    public long AddRun(Configuration configuration, int round, RunOutcome outcome, DateTime startedUtc, double elapsedSeconds, long machineId)
    {
        using var transaction = connection.BeginTransaction();
        using var run = Command("""
            INSERT INTO runs (key, experiment, mpi, workload, ranks, vms, pin, channels, msglog, time_seconds, status, error,
                              vm_kind, started_utc, elapsed_seconds, command, machine_id, round, launch, threads)
            VALUES ($key, $experiment, $mpi, $workload, $ranks, $vms, $pin, $channels, $msglog, $time, $status, $error,
                    $kind, $started, $elapsed, $command, $machine, $round, $launch, $threads); SELECT last_insert_rowid();
            """,
            ("$key", configuration.Key), ("$experiment", configuration.Experiment), ("$mpi", configuration.Mpi),
            ("$workload", configuration.Workload), ("$ranks", configuration.Ranks), ("$vms", configuration.Vms),
            ("$pin", configuration.Pin), ("$channels", configuration.Channels), ("$msglog", configuration.MsgLog),
            ("$time", configuration.Seconds), ("$status", outcome.Ok ? "ok" : "failed"), ("$error", outcome.Error),
            ("$kind", outcome.VmKind), ("$started", Time(startedUtc)), ("$elapsed", elapsedSeconds),
            ("$command", outcome.Command), ("$machine", machineId), ("$round", round), ("$launch", outcome.LaunchReport),
            ("$threads", configuration.Threads));
        run.Transaction = transaction;
        long id = (long)run.ExecuteScalar()!;

        foreach (var row in outcome.Measurements)
        {
            using var insert = Command("""
                INSERT INTO measurements (run_id, bytes, repetitions, t_usec, mbytes_per_sec, t_min_usec, t_max_usec, t_avg_usec)
                VALUES ($run, $bytes, $reps, $t, $mb, $tmin, $tmax, $tavg)
                """,
                ("$run", id), ("$bytes", row.Bytes), ("$reps", row.Repetitions), ("$t", row.TUsec), ("$mb", row.MbytesPerSec),
                ("$tmin", row.TMinUsec), ("$tmax", row.TMaxUsec), ("$tavg", row.TAvgUsec));
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }
        if (outcome.Application is { } app)
        {
            using var insert = Command("""
                INSERT INTO applications (run_id, class, iterations, seconds, mops_total, mops_per_process, verified)
                VALUES ($run, $class, $iterations, $seconds, $mops, $mopsp, $verified)
                """,
                ("$run", id), ("$class", app.Class), ("$iterations", app.Iterations), ("$seconds", app.Seconds),
                ("$mops", app.MopsTotal), ("$mopsp", app.MopsPerProcess), ("$verified", app.Verified ? 1 : 0));
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }
        if (outcome.TimeSeries is { } series) AddTimeSeries(id, series, transaction);
        transaction.Commit();
        return id;
    }

    private void AddTimeSeries(long id, MigrationTimeSeries series, SqliteTransaction transaction)
    {
        void Insert(string sql, params (string Name, object? Value)[] parameters)
        {
            using var insert = Command(sql, [("$run", id), .. parameters]);
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
        }
        Insert("INSERT INTO timeseries (run_id, bytes, window_ms) VALUES ($run, $bytes, $window)", ("$bytes", series.Bytes), ("$window", series.WindowMs));
        foreach (var w in series.Windows)
            Insert("INSERT INTO latency_windows (run_id, time_s, latency_usec, roundtrips, channel) VALUES ($run, $t, $latency, $trips, $channel)",
                ("$t", w.Seconds), ("$latency", w.LatencyUsec), ("$trips", w.RoundTrips), ("$channel", w.Channel));
        foreach (var m in series.Moves)
            Insert("""
                INSERT INTO moves (run_id, move, vm, from_host, to_host, at_s, suspend_ms, move_ms, attach_ms, reselect_ms, total_ms, longest_wait_ms, what_moved)
                VALUES ($run, $move, $vm, $from, $to, $at, $suspend, $moving, $attach, $reselect, $total, $wait, $what)
                """,
                ("$move", m.Move), ("$vm", m.Vm), ("$from", m.From), ("$to", m.To), ("$at", m.AtSeconds), ("$suspend", m.SuspendMs),
                ("$moving", m.MoveMs), ("$attach", m.AttachMs), ("$reselect", m.ReselectMs), ("$total", m.TotalMs), ("$wait", m.LongestWaitMs), ("$what", m.WhatMoved));
    }

    /// <summary>The migration experiment's runs: their windows in time order and their moves in order, by run id.</summary>
    private Dictionary<long, MigrationTimeSeries> TimeSeries()
    {
        var windows = new Dictionary<long, List<LatencyWindow>>();
        using (var command = Command("SELECT run_id, time_s, latency_usec, roundtrips, channel FROM latency_windows ORDER BY run_id, time_s"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                Add(windows, reader.GetInt64(0), new LatencyWindow(reader.GetDouble(1), reader.GetDouble(2), reader.GetInt32(3), reader.GetString(4)));
        var moves = new Dictionary<long, List<MoveTimes>>();
        using (var command = Command("""
            SELECT run_id, move, vm, from_host, to_host, at_s, suspend_ms, move_ms, attach_ms, reselect_ms, total_ms, longest_wait_ms, what_moved
            FROM moves ORDER BY run_id, move
            """))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                Add(moves, reader.GetInt64(0), new MoveTimes(reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetDouble(5),
                    reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11), reader.GetString(12)));
        var series = new Dictionary<long, MigrationTimeSeries>();
        using (var command = Command("SELECT run_id, bytes, window_ms FROM timeseries"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                long id = reader.GetInt64(0);
                series[id] = new MigrationTimeSeries(reader.GetInt64(1), reader.GetDouble(2), windows.GetValueOrDefault(id) ?? [], moves.GetValueOrDefault(id) ?? []);
            }
        return series;
    }

    private static void Add<T>(Dictionary<long, List<T>> lists, long id, T item)
    {
        if (!lists.TryGetValue(id, out var list)) lists[id] = list = [];
        list.Add(item);
    }

    /// <summary>Every stored run with its rows, oldest first.</summary>
    public List<StoredRun> Runs()
    {
        var measurements = new Dictionary<long, List<Measurement>>();
        using (var command = Command("SELECT run_id, bytes, repetitions, t_usec, mbytes_per_sec, t_min_usec, t_max_usec, t_avg_usec FROM measurements ORDER BY run_id, bytes"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                Add(measurements, reader.GetInt64(0), new Measurement(reader.GetInt64(1), reader.GetInt64(2), Real(reader, 3), Real(reader, 4), Real(reader, 5), Real(reader, 6), Real(reader, 7)));
        var applications = new Dictionary<long, ApplicationResult>();
        using (var command = Command("SELECT run_id, class, iterations, seconds, mops_total, mops_per_process, verified FROM applications"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                applications[reader.GetInt64(0)] = new ApplicationResult(reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6) != 0);
        var timeSeries = TimeSeries();

        var runs = new List<StoredRun>();
        using (var command = Command("""
            SELECT id, experiment, mpi, workload, ranks, vms, pin, channels, msglog, time_seconds, status, error, vm_kind,
                   started_utc, elapsed_seconds, command, machine_id, round, launch, threads FROM runs ORDER BY id
            """))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                long id = reader.GetInt64(0);
                var configuration = new Configuration(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                    reader.GetInt32(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetDouble(9), reader.IsDBNull(19) ? 1 : reader.GetInt32(19));
                runs.Add(new StoredRun(id, configuration, reader.IsDBNull(17) ? 0 : reader.GetInt32(17), reader.GetString(10) == "ok", reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.IsDBNull(12) ? "" : reader.GetString(12), DateTime.Parse(reader.GetString(13), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    reader.GetDouble(14), reader.IsDBNull(15) ? "" : reader.GetString(15), reader.GetInt64(16),
                    measurements.GetValueOrDefault(id) ?? [], applications.GetValueOrDefault(id), reader.IsDBNull(18) ? null : reader.GetString(18),
                    timeSeries.GetValueOrDefault(id)));
            }
        return runs;
    }

    public List<(long Id, MachineInfo Machine)> Machines()
    {
        using var command = Command("SELECT id, cpu_model, cores, kernel, dotnet, git_commit, host, root, recorded_utc, load_average FROM machines ORDER BY id");
        using var reader = command.ExecuteReader();
        var machines = new List<(long, MachineInfo)>();
        while (reader.Read())
            machines.Add((reader.GetInt64(0), new MachineInfo(reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt64(7) != 0,
                DateTime.Parse(reader.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                reader.IsDBNull(9) ? 0 : reader.GetDouble(9))));
        return machines;
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static double? Real(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public void Dispose() => connection.Dispose();
}
