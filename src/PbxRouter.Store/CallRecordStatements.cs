using Microsoft.Data.Sqlite;

namespace PbxRouter.Store;

/// <summary>Call record writes as prepared statements bound to one transaction, prepared on first use and reused.</summary>
internal sealed class CallRecordStatements(SqliteConnection connection, SqliteTransaction tx) : IDisposable
{
    private SqliteCommand? _start, _step, _end;

    /// <summary>The practice and outcome of the last record <see cref="End"/> finished (the writer resets it before each write).</summary>
    public (string? Practice, string Outcome)? LastEnded { get; set; }

    public void Start(CallRecordStart s)
    {
        if (Insert(s) == 0) throw new StoreException($"call {s.CallId} already has a call record: call ids must be unique");
    }

    /// <summary>The record of a call taken over from a previous engine: created if that engine never wrote it, else kept as it is.</summary>
    public void Resume(CallRecordStart s) => Insert(s);

    private int Insert(CallRecordStart s)
    {
        _start ??= Prepare("""
            INSERT INTO call_records (call_id, started_at, practice_id, called_number, caller_number, rules_version, caller_withheld)
            VALUES ($id, $at, $practice, $called, $caller, $rules, $withheld)
            ON CONFLICT (call_id) DO NOTHING
            """, "$id", "$at", "$practice", "$called", "$caller", "$rules", "$withheld");
        return Execute(_start, s.CallId, StoreTime.ToText(s.StartedAt), s.PracticeId, s.CalledNumber, s.CallerNumber, s.RulesVersion,
            s.CallerWithheld ? 1 : 0);
    }

    public void Step(string callId, DateTimeOffset at, string kind, string? target, string? detail)
    {
        // The sequence is computed in the same statement, so concurrent writers cannot reuse a number.
        _step ??= Prepare("""
            INSERT INTO call_steps (call_id, seq, at, kind, target, detail)
            SELECT $id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM call_steps WHERE call_id = $id), $at, $kind, $target, $detail
            WHERE EXISTS (SELECT 1 FROM call_records WHERE call_id = $id)
            """, "$id", "$at", "$kind", "$target", "$detail");
        if (Execute(_step, callId, StoreTime.ToText(at), kind, target, detail) == 0)
            throw new CallRecordNotFoundException(callId);
    }

    /// <summary>Ends the record; returns its practice (null for a call of no practice).</summary>
    public string? End(string callId, DateTimeOffset at, string outcome, string? answeredBy, string? hungUpBy)
    {
        _end ??= Prepare("""
            UPDATE call_records SET ended_at = $at, outcome = $outcome, answered_by = $answered, hung_up_by = $hungup
            WHERE call_id = $id
            RETURNING COALESCE(practice_id, '')
            """, "$id", "$at", "$outcome", "$answered", "$hungup");
        Bind(_end, callId, StoreTime.ToText(at), outcome, answeredBy, hungUpBy);
        if (_end.ExecuteScalar() is not string practice) throw new CallRecordNotFoundException(callId);
        LastEnded = (practice.Length == 0 ? null : practice, outcome);
        return LastEnded.Value.Practice;
    }

    public void Dispose()
    {
        _start?.Dispose();
        _step?.Dispose();
        _end?.Dispose();
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static int Execute(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
