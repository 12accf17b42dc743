using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Hosting;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter voicemail ...`: the messages the engine keeps, for IT staff on the engine's machine.</summary>
public static class VoicemailCommand
{
    public static Command Create()
    {
        var voicemail = new Command("voicemail", "Voicemail messages kept by the engine: list them, purge those past their box's keep_days.");
        voicemail.Subcommands.Add(List());
        voicemail.Subcommands.Add(VoicemailOutboxCommand.Create());
        voicemail.Subcommands.Add(Purge());
        return voicemail;
    }

    /// <summary>The engine's voicemail folder: Voicemail:StoragePath of the settings, else "voicemail" beside the database.</summary>
    private static VoicemailFiles Files(string database)
    {
        var options = EngineSettings.Load(null).Configuration.GetSection("Voicemail").Get<VoicemailOptions>() ?? new VoicemailOptions();
        return new VoicemailFiles(options.StorageFolder(database));
    }

    private static Command List()
    {
        var box = new Argument<string>("BOX") { Description = "The voicemail box (its name in the rules, e.g. tilleuls-general)" };
        var all = new Option<bool>("--all") { Description = "Also the messages already listened to" };
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var command = new Command("list", "The box's messages, newest first: id, time, caller (masked), duration, urgent, listened; "
            + "AUDIO MISSING when the message's audio file is not in the voicemail folder.") { box, all, db, json };
        command.SetAction(async (parse, ct) =>
        {
            var database = CliContext.DatabasePath(parse.GetValue(db));
            var repository = new VoicemailRepository(await CliContext.OpenDatabaseAsync(database, ct), TimeProvider.System);
            var files = Files(database);
            var messages = await repository.ListAsync(parse.GetValue(box)!, parse.GetValue(all), ct);
            bool Missing(VoicemailMessage m) => !files.Has(m.RecordingName);
            if (parse.GetValue(json))
                CliContext.WriteJson(messages.Select(m => new
                {
                    id = m.Id, box = m.Box, practice = m.PracticeId, recordedAt = m.RecordedAt, caller = PbxRouter.Calls.PhoneNumberMask.Mask(m.CallerNumber),
                    durationSeconds = m.DurationSeconds, urgent = m.Urgent, listenedAt = m.ListenedAt, listenedBy = m.ListenedBy,
                    audio = Missing(m) ? "missing" : "stored",
                }));
            else if (messages.Count == 0)
                Console.Out.WriteLine($"No {(parse.GetValue(all) ? "" : "new ")}message in box {parse.GetValue(box)}.");
            else
            {
                foreach (var m in messages)
                    Console.Out.WriteLine($"{m.Id,-28} {m.RecordedAt:yyyy-MM-dd HH:mm:ss zzz} {PbxRouter.Calls.PhoneNumberMask.Mask(m.CallerNumber),-16} " +
                                          $"{m.DurationSeconds,4} s{(m.Urgent ? " URGENT" : "")}{(m.ListenedAt is { } at ? $" listened {at:yyyy-MM-dd HH:mm} by {m.ListenedBy}" : "")}" +
                                          (Missing(m) ? " AUDIO MISSING" : ""));
                var missing = messages.Count(Missing);
                if (missing > 0)
                    Console.Out.WriteLine($"{missing} message(s) without audio in {files.Folder} (the engine's log says more; a message still in Asterisk's spool is moved by the running engine).");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Purge()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what would be purged; change nothing" };
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var command = new Command("purge", "Deletes now the messages older than their box's keep_days (rules in force; 30 days for a box no longer in them), "
            + "audio and index row, each audited as purged by retention. The engine does it once a day.") { dryRun, db, json };
        command.SetAction(async (parse, ct) =>
        {
            var database = CliContext.DatabasePath(parse.GetValue(db));
            var store = await CliContext.OpenDatabaseAsync(database, ct);
            var rulesRepository = new RulesRepository(store, TimeProvider.System);
            var number = await rulesRepository.ActiveVersionNumberAsync(ct);
            var stored = number == 0 ? null : await rulesRepository.GetAsync(number, ct);
            if (stored is null)
                return CliContext.Fail("voicemail purge", "no rules applied yet: the boxes' keep_days are not known, nothing purged");
            var rules = CompiledRules.FromJson(stored.CompiledJson);
            var files = Files(database);
            var retention = new VoicemailRetention(new RetentionRepository(store, TimeProvider.System), new FolderAudio(files), new RetentionOptions(),
                TimeProvider.System, NullLogger<VoicemailRetention>.Instance);
            var report = await retention.RunAsync(rules, parse.GetValue(dryRun), callRecords: false, ct);
            if (parse.GetValue(json))
            {
                CliContext.WriteJson(new
                {
                    dryRun = report.DryRun,
                    messages = report.Messages.Select(d => new
                    {
                        id = d.Message.Id, practice = d.Message.PracticeId, box = d.Message.Box, recordedAt = d.Message.RecordedAt, keepDays = d.KeepDays,
                    }),
                });
                return ExitCodes.Ok;
            }
            foreach (var d in report.Messages)
                Console.Out.WriteLine($"{d.Message.Id,-28} {d.Message.PracticeId}/{d.Message.Box} recorded {d.Message.RecordedAt:yyyy-MM-dd HH:mm zzz} (keep {d.KeepDays} days)");
            Console.Out.WriteLine(report.DryRun
                ? $"{report.Messages.Count} message(s) would be purged (dry run: nothing changed)."
                : $"{report.Messages.Count} message(s) purged (audio and index; audited: purged by {VoicemailRepository.RetentionActor}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The voicemail folder alone (no Asterisk from the command line): deleting a message deletes its file.</summary>
    private sealed class FolderAudio(VoicemailFiles files) : IVoicemailAudio
    {
        public string PlaybackMedia(VoicemailMessage message) => throw new NotSupportedException("no playback from the command line");

        public Task<Stream?> OpenReadAsync(VoicemailMessage message, CancellationToken ct) =>
            Task.FromResult<Stream?>(files.Has(message.RecordingName) ? File.OpenRead(files.PathOf(message.RecordingName)) : null);

        public Task DeleteAsync(VoicemailMessage message, CancellationToken ct)
        {
            if (VoicemailFiles.IsFileName(message.RecordingName)) files.Delete(message.RecordingName);
            return Task.CompletedTask;
        }
    }
}
