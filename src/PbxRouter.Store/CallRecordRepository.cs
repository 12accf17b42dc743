using Dapper;

namespace PbxRouter.Store;

/// <summary>Step-by-step call records for reports; each write is one short transaction (see CallRecordWriter for batching).</summary>
public sealed class CallRecordRepository(StoreDatabase db, TimeProvider time)
{
    private const int MaxRecent = 1000;

    private const string CallColumns = """
        call_id AS CallId, started_at AS StartedAt, practice_id AS PracticeId, called_number AS CalledNumber,
        caller_number AS CallerNumber, rules_version AS RulesVersion, ended_at AS EndedAt, outcome AS Outcome,
        answered_by AS AnsweredBy, hung_up_by AS HungUpBy, caller_withheld AS CallerWithheld
        """;

    private const string StepColumns =
        "call_id AS CallId, seq AS Sequence, at AS At, kind AS Kind, target AS Target, detail AS Detail";

    /// <summary>Creates the record of a call; the call id must be new.</summary>
    public Task StartCallAsync(CallRecordStart s, CancellationToken ct = default)
    {
        ValidateStart(s);
        return Write(statements => statements.Start(s), ct);
    }

    /// <summary>Appends a step, numbered after the call's previous steps and stamped now (ms).</summary>
    public Task AddStepAsync(string callId, string kind, string? target, string? detail, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        CallStepKinds.Validate(kind);
        var at = time.GetUtcNow();
        return Write(statements => statements.Step(callId, at, kind, target, detail), ct);
    }

    /// <summary>Records how the call ended and when.</summary>
    public Task EndCallAsync(string callId, string outcome, string? answeredBy, string? hungUpBy, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        CallOutcomes.Validate(outcome);
        var at = time.GetUtcNow();
        return Write(statements => statements.End(callId, at, outcome, answeredBy, hungUpBy), ct);
    }

    /// <summary>A call with its steps in order, or null if unknown.</summary>
    public Task<CallRecord?> GetAsync(string callId, CancellationToken ct = default) =>
        db.ReadAsync(async connection =>
        {
            var call = await connection.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(
                $"SELECT {CallColumns} FROM call_records WHERE call_id = @callId", new { callId }, cancellationToken: ct));
            if (call is null)
                return null;
            var steps = await connection.QueryAsync<StepRow>(new CommandDefinition(
                $"SELECT {StepColumns} FROM call_steps WHERE call_id = @callId ORDER BY seq", new { callId }, cancellationToken: ct));
            return call.ToRecord(steps.Select(r => r.ToStep()).ToList());
        });

    /// <summary>The latest calls (newest first, at most 1000), optionally of one practice, each with its steps.</summary>
    public Task<IReadOnlyList<CallRecord>> RecentAsync(int limit, string? practiceId = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        limit = Math.Min(limit, MaxRecent);
        return db.ReadAsync<IReadOnlyList<CallRecord>>(async connection =>
        {
            var calls = (await connection.QueryAsync<CallRow>(new CommandDefinition($"""
                SELECT {CallColumns} FROM call_records
                WHERE @practiceId IS NULL OR practice_id = @practiceId
                ORDER BY started_at DESC, call_id DESC LIMIT @limit
                """, new { practiceId, limit }, cancellationToken: ct))).ToList();
            if (calls.Count == 0)
                return [];
            var steps = (await connection.QueryAsync<StepRow>(new CommandDefinition(
                    $"SELECT {StepColumns} FROM call_steps WHERE call_id IN @ids ORDER BY call_id, seq",
                    new { ids = calls.Select(c => c.CallId).ToList() }, cancellationToken: ct)))
                .ToLookup(s => s.CallId, s => s.ToStep());
            return calls.Select(c => c.ToRecord(steps[c.CallId].ToList())).ToList();
        });
    }

    /// <summary>
    /// Every call of a practice started from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest
    /// first, each with its steps: two reads on the practice's index (the calls, then their steps by a join), whatever the count.
    /// </summary>
    public Task<IReadOnlyList<CallRecord>> ForPracticeAsync(string practiceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(practiceId);
        var range = new { practiceId, from = StoreTime.ToText(from), to = StoreTime.ToText(to) };
        return db.ReadAsync<IReadOnlyList<CallRecord>>(async connection =>
        {
            var calls = (await connection.QueryAsync<CallRow>(new CommandDefinition($"""
                SELECT {CallColumns} FROM call_records
                WHERE practice_id = @practiceId AND started_at >= @from AND started_at < @to
                ORDER BY started_at, call_id
                """, range, cancellationToken: ct))).ToList();
            if (calls.Count == 0)
                return [];
            var steps = (await connection.QueryAsync<StepRow>(new CommandDefinition("""
                    SELECT s.call_id AS CallId, s.seq AS Sequence, s.at AS At, s.kind AS Kind, s.target AS Target, s.detail AS Detail
                    FROM call_records r JOIN call_steps s ON s.call_id = r.call_id
                    WHERE r.practice_id = @practiceId AND r.started_at >= @from AND r.started_at < @to
                    ORDER BY s.call_id, s.seq
                    """, range, cancellationToken: ct)))
                .ToLookup(s => s.CallId, s => s.ToStep());
            return calls.Select(c => c.ToRecord(steps[c.CallId].ToList())).ToList();
        });
    }

    /// <summary>Ids of the calls started before <paramref name="before"/> whose record has no end (at most 10 000, oldest first).</summary>
    public Task<IReadOnlyList<string>> UnfinishedAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<string>>(async connection => (await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT call_id FROM call_records WHERE ended_at IS NULL AND started_at < @before ORDER BY started_at LIMIT 10000
            """, new { before = StoreTime.ToText(before) }, cancellationToken: ct))).ToList());

    /// <summary>Deletes calls (and their steps) started before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM call_records WHERE started_at < @cutoff", new { cutoff = StoreTime.ToText(cutoff) }, tx,
            cancellationToken: ct)), ct);

    internal static void ValidateStart(CallRecordStart s)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentException.ThrowIfNullOrWhiteSpace(s.CallId);
        ArgumentNullException.ThrowIfNull(s.CalledNumber);
    }

    private Task Write(Action<CallRecordStatements> write, CancellationToken ct) =>
        db.WriteAsync((connection, tx) =>
        {
            using var statements = new CallRecordStatements(connection, tx);
            write(statements);
            return Task.FromResult(true);
        }, ct);

    private sealed class CallRow
    {
        public string CallId { get; set; } = "";
        public string StartedAt { get; set; } = "";
        public string? PracticeId { get; set; }
        public string CalledNumber { get; set; } = "";
        public string? CallerNumber { get; set; }
        public long RulesVersion { get; set; }
        public string? EndedAt { get; set; }
        public string? Outcome { get; set; }
        public string? AnsweredBy { get; set; }
        public string? HungUpBy { get; set; }
        public long CallerWithheld { get; set; }

        public CallRecord ToRecord(IReadOnlyList<CallStep> steps) => new(CallId, StoreTime.Parse(StartedAt), PracticeId,
            CalledNumber, CallerNumber, (int)RulesVersion, StoreTime.ParseOrNull(EndedAt), Outcome, AnsweredBy, HungUpBy, steps, CallerWithheld != 0);
    }

    private sealed class StepRow
    {
        public string CallId { get; set; } = "";
        public long Sequence { get; set; }
        public string At { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? Target { get; set; }
        public string? Detail { get; set; }

        public CallStep ToStep() => new((int)Sequence, StoreTime.Parse(At), Kind, Target, Detail);
    }
}
