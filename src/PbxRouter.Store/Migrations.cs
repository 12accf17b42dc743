namespace PbxRouter.Store;

/// <summary>One numbered schema step; applied once, in its own transaction, never edited after release.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>The schema history of the store. Append new migrations at the end; never change a released one.</summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "rules versions", """
            CREATE TABLE rules_versions (
                number        INTEGER PRIMARY KEY,
                applied_at    TEXT    NOT NULL,
                applied_by    TEXT    NOT NULL,
                content_hash  TEXT    NOT NULL,
                comment       TEXT    NULL,
                source_count  INTEGER NOT NULL,
                rollback_of   INTEGER NULL REFERENCES rules_versions(number)
            );
            CREATE TABLE rules_sources (
                version  INTEGER NOT NULL REFERENCES rules_versions(number),
                ordinal  INTEGER NOT NULL,
                path     TEXT    NOT NULL,
                text     TEXT    NOT NULL,
                PRIMARY KEY (version, ordinal)
            ) WITHOUT ROWID;
            CREATE TABLE rules_compiled (
                version        INTEGER PRIMARY KEY REFERENCES rules_versions(number),
                compiled_json  TEXT    NOT NULL
            );
            CREATE TABLE rules_active (
                id            INTEGER PRIMARY KEY CHECK (id = 1),
                version       INTEGER NOT NULL REFERENCES rules_versions(number),
                activated_at  TEXT    NOT NULL
            );
            CREATE TRIGGER rules_versions_append_only_update BEFORE UPDATE ON rules_versions
            BEGIN SELECT RAISE(ABORT, 'rules versions are append-only'); END;
            CREATE TRIGGER rules_versions_append_only_delete BEFORE DELETE ON rules_versions
            BEGIN SELECT RAISE(ABORT, 'rules versions are append-only'); END;
            """),
        new(2, "runtime state", """
            CREATE TABLE practice_modes (
                practice_id  TEXT PRIMARY KEY,
                mode         TEXT NULL,
                set_by       TEXT NOT NULL,
                via          TEXT NOT NULL,
                set_at       TEXT NOT NULL
            );
            CREATE TABLE mode_changes (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                practice_id    TEXT NOT NULL,
                previous_mode  TEXT NULL,
                mode           TEXT NULL,
                set_by         TEXT NOT NULL,
                via            TEXT NOT NULL,
                set_at         TEXT NOT NULL
            );
            CREATE INDEX mode_changes_by_practice ON mode_changes(practice_id, id);
            CREATE TRIGGER mode_changes_append_only_update BEFORE UPDATE ON mode_changes
            BEGIN SELECT RAISE(ABORT, 'mode changes are append-only'); END;
            """),
        new(3, "call records", """
            CREATE TABLE call_records (
                call_id        TEXT    PRIMARY KEY,
                started_at     TEXT    NOT NULL,
                practice_id    TEXT    NULL,
                called_number  TEXT    NOT NULL,
                caller_number  TEXT    NULL,
                rules_version  INTEGER NOT NULL,
                ended_at       TEXT    NULL,
                outcome        TEXT    NULL,
                answered_by    TEXT    NULL,
                hung_up_by     TEXT    NULL
            );
            CREATE INDEX call_records_by_start ON call_records(started_at);
            CREATE INDEX call_records_by_practice ON call_records(practice_id, started_at);
            CREATE TABLE call_steps (
                call_id  TEXT    NOT NULL REFERENCES call_records(call_id) ON DELETE CASCADE,
                seq      INTEGER NOT NULL,
                at       TEXT    NOT NULL,
                kind     TEXT    NOT NULL,
                target   TEXT    NULL,
                detail   TEXT    NULL,
                PRIMARY KEY (call_id, seq)
            ) WITHOUT ROWID;
            """),
        new(4, "voicemail", """
            CREATE TABLE voicemails (
                id              TEXT    PRIMARY KEY,
                box             TEXT    NOT NULL,
                practice_id     TEXT    NOT NULL,
                caller_number   TEXT    NULL,
                recorded_at     TEXT    NOT NULL,
                duration_s      INTEGER NOT NULL,
                recording_name  TEXT    NOT NULL,
                urgent          INTEGER NOT NULL DEFAULT 0,
                call_id         TEXT    NULL,
                listened_at     TEXT    NULL,
                listened_by     TEXT    NULL
            );
            CREATE INDEX voicemails_by_box ON voicemails(box, recorded_at);
            CREATE INDEX voicemails_by_recorded ON voicemails(recorded_at);
            CREATE TABLE voicemail_access (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                voicemail_id  TEXT NOT NULL,
                box           TEXT NOT NULL,
                action        TEXT NOT NULL CHECK (action IN ('listened', 'deleted', 'purged')),
                done_by       TEXT NOT NULL,
                done_at       TEXT NOT NULL
            );
            CREATE INDEX voicemail_access_by_voicemail ON voicemail_access(voicemail_id, id);
            CREATE TRIGGER voicemail_access_append_only_update BEFORE UPDATE ON voicemail_access
            BEGIN SELECT RAISE(ABORT, 'the voicemail access log is append-only'); END;
            CREATE TRIGGER voicemail_access_append_only_delete BEFORE DELETE ON voicemail_access
            BEGIN SELECT RAISE(ABORT, 'the voicemail access log is append-only'); END;
            """),
        new(5, "withheld callers", """
            ALTER TABLE call_records ADD COLUMN caller_withheld INTEGER NOT NULL DEFAULT 0;
            """),
        new(6, "voicemail imports", """
            CREATE TABLE voicemail_imports (
                source        TEXT PRIMARY KEY,
                voicemail_id  TEXT NOT NULL,
                imported_at   TEXT NOT NULL,
                notified_at   TEXT NULL
            );
            """),
        new(7, "notification outbox", """
            CREATE TABLE notification_outbox (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id       TEXT    NOT NULL,
                practice_id      TEXT    NOT NULL,
                box              TEXT    NOT NULL,
                urgent           INTEGER NOT NULL DEFAULT 0,
                target_kind      TEXT    NOT NULL CHECK (target_kind IN ('email', 'webhook')),
                target           TEXT    NOT NULL,
                payload          TEXT    NOT NULL,
                state            TEXT    NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
                attempts         INTEGER NOT NULL DEFAULT 0,
                next_attempt_at  TEXT    NOT NULL,
                last_error       TEXT    NULL,
                created_at       TEXT    NOT NULL,
                updated_at       TEXT    NOT NULL,
                sent_at          TEXT    NULL,
                UNIQUE (message_id, target_kind, target)
            );
            CREATE INDEX notification_outbox_due ON notification_outbox(state, next_attempt_at);
            """),
        new(8, "pin attempts", """
            CREATE TABLE pin_attempts (
                id        INTEGER PRIMARY KEY AUTOINCREMENT,
                scope     TEXT    NOT NULL,
                tried_by  TEXT    NOT NULL,
                accepted  INTEGER NOT NULL,
                tried_at  TEXT    NOT NULL
            );
            CREATE INDEX pin_attempts_by_scope ON pin_attempts(scope, id);
            CREATE TRIGGER pin_attempts_append_only_update BEFORE UPDATE ON pin_attempts
            BEGIN SELECT RAISE(ABORT, 'PIN attempts are append-only'); END;
            CREATE TRIGGER pin_attempts_append_only_delete BEFORE DELETE ON pin_attempts
            BEGIN SELECT RAISE(ABORT, 'PIN attempts are append-only'); END;
            CREATE TABLE pin_lockouts (
                scope         TEXT PRIMARY KEY,
                locked_at     TEXT NOT NULL,
                locked_until  TEXT NOT NULL,
                locked_by     TEXT NOT NULL
            );
            """),
        new(9, "forward to a number", """
            ALTER TABLE practice_modes ADD COLUMN forward_to TEXT NULL;
            ALTER TABLE mode_changes ADD COLUMN previous_forward_to TEXT NULL;
            ALTER TABLE mode_changes ADD COLUMN forward_to TEXT NULL;
            """),
        new(10, "console audit", """
            CREATE TABLE console_audit (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                at           TEXT NOT NULL,
                user_name    TEXT NOT NULL,
                practice_id  TEXT NULL,
                action       TEXT NOT NULL,
                detail       TEXT NOT NULL
            );
            CREATE INDEX console_audit_by_practice ON console_audit(practice_id, id);
            CREATE TRIGGER console_audit_append_only_update BEFORE UPDATE ON console_audit
            BEGIN SELECT RAISE(ABORT, 'console audit rows are append-only'); END;
            CREATE TRIGGER console_audit_append_only_delete BEFORE DELETE ON console_audit
            BEGIN SELECT RAISE(ABORT, 'console audit rows are append-only'); END;
            """),
    ];

    public static int Latest => All[^1].Version;
}
