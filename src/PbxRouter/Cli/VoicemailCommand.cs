using System.CommandLine;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>`pbxrouter voicemail ...`: the messages the engine keeps, for IT staff on the engine's machine.</summary>
public static class VoicemailCommand
{
    public static Command Create()
    {
        var voicemail = new Command("voicemail", "Voicemail messages kept by the engine: list them.");
        voicemail.Subcommands.Add(List());
        voicemail.Subcommands.Add(VoicemailOutboxCommand.Create());
        return voicemail;
    }

    private static Command List()
    {
        var box = new Argument<string>("BOX") { Description = "The voicemail box (its name in the rules, e.g. tilleuls-general)" };
        var all = new Option<bool>("--all") { Description = "Also the messages already listened to" };
        var db = CliContext.DatabaseOption();
        var json = CliContext.JsonOption();
        var command = new Command("list", "The box's messages, newest first: id, time, caller (masked), duration, urgent, listened.") { box, all, db, json };
        command.SetAction(async (parse, ct) =>
        {
            var repository = new VoicemailRepository(await CliContext.OpenDatabaseAsync(parse.GetValue(db), ct), TimeProvider.System);
            var messages = await repository.ListAsync(parse.GetValue(box)!, parse.GetValue(all), ct);
            if (parse.GetValue(json))
                CliContext.WriteJson(messages.Select(m => new
                {
                    id = m.Id, box = m.Box, practice = m.PracticeId, recordedAt = m.RecordedAt, caller = PbxRouter.Calls.PhoneNumberMask.Mask(m.CallerNumber),
                    durationSeconds = m.DurationSeconds, urgent = m.Urgent, listenedAt = m.ListenedAt, listenedBy = m.ListenedBy,
                }));
            else if (messages.Count == 0)
                Console.Out.WriteLine($"No {(parse.GetValue(all) ? "" : "new ")}message in box {parse.GetValue(box)}.");
            else
                foreach (var m in messages)
                    Console.Out.WriteLine($"{m.Id,-28} {m.RecordedAt:yyyy-MM-dd HH:mm:ss zzz} {PbxRouter.Calls.PhoneNumberMask.Mask(m.CallerNumber),-16} " +
                                          $"{m.DurationSeconds,4} s{(m.Urgent ? " URGENT" : "")}{(m.ListenedAt is { } at ? $" listened {at:yyyy-MM-dd HH:mm} by {m.ListenedBy}" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
