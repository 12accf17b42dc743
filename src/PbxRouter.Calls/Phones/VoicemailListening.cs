using Microsoft.Extensions.Logging;
using NodaTime;
using PbxRouter.Ari;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// *97: the box's messages read to the phone: their count, then each one with the caller and the date;
/// 1 replays, 7 deletes, # (or nothing) goes to the next. Each listening and deletion is audited.
/// </summary>
public sealed class VoicemailListening(VoicemailRepository repository, IVoicemailAudio audio, ILogger<VoicemailListening> logger)
{
    private const int MaxMessages = 50, MaxReplays = 3;

    public async Task RunAsync(PhoneCall call, PhoneIdentity phone, string box, CompiledRules rules, CancellationToken ct)
    {
        var messages = (await repository.ListAsync(box, includeListened: true, ct).ConfigureAwait(false))
            .Where(m => m.PracticeId == phone.PracticeId).Take(MaxMessages).ToList();
        logger.LogInformation("Call {CallId}: phone {Phone} listens to box {Box} ({Count} messages)", call.CallId, phone.PhoneId, box, messages.Count);
        if (messages.Count == 0)
        {
            await PlayAsync(call, "sound:pbxrouter/vm-aucun", ct).ConfigureAwait(false);
            return;
        }
        if ((await PlayAsync(call, $"sound:pbxrouter/vm-nombre,number:{messages.Count}", ct).ConfigureAwait(false)).Gone) return;
        var zone = ZoneOf(rules, phone.PracticeId);
        foreach (var message in messages)
        {
            if (!await ListenAsync(call, phone, message, zone, ct).ConfigureAwait(false)) return;
        }
        await PlayAsync(call, "sound:pbxrouter/vm-fin", ct).ConfigureAwait(false);
    }

    /// <summary>One message with its menu; false when the phone hung up.</summary>
    private async Task<bool> ListenAsync(PhoneCall call, PhoneIdentity phone, VoicemailMessage message, DateTimeZone zone, CancellationToken ct)
    {
        for (var replay = 0; replay < MaxReplays; replay++)
        {
            var heard = await call.PlayAsync($"{Header(message, zone)},{audio.PlaybackMedia(message)}", ct, CallPrompts.AnyKey, lang: "fr",
                what: "vm-message").ConfigureAwait(false);
            if (heard.Gone) return false;
            await repository.MarkListenedAsync(message.Id, phone.PhoneId, ct).ConfigureAwait(false);
            var choice = heard.Digits;
            if (choice == "")
            {
                var menu = await call.ReadDigitsAsync("sound:pbxrouter/vm-menu", 1, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1), ct, "vm-menu")
                    .ConfigureAwait(false);
                if (menu.Gone) return false;
                choice = menu.Digits;
            }
            if (choice == "1") continue;
            if (choice == "7")
            {
                await repository.DeleteAsync(message.Id, phone.PhoneId, ct).ConfigureAwait(false);
                await call.OnLegAsync(() => audio.DeleteAsync(message, ct)).ConfigureAwait(false);
                logger.LogInformation("Call {CallId}: message {MessageId} deleted by phone {Phone}", call.CallId, message.Id, phone.PhoneId);
                return !(await PlayAsync(call, "sound:pbxrouter/vm-supprime", ct).ConfigureAwait(false)).Gone;
            }
            return true;
        }
        return true;
    }

    /// <summary>"Message du 06 12 34 56 78, reçu le 23 novembre à 14 heures 05" in the practice's local time.</summary>
    private static string Header(VoicemailMessage message, DateTimeZone zone)
    {
        var from = message.CallerNumber is { Length: > 0 } n && n.All(c => char.IsAsciiDigit(c) || c == '+')
            ? $"sound:pbxrouter/vm-message-de,digits:{(n.StartsWith("+33", StringComparison.Ordinal) ? "0" + n[3..] : n.TrimStart('+'))}"
            : "sound:pbxrouter/vm-message-masque";
        var at = Instant.FromDateTimeOffset(message.RecordedAt).InZone(zone).LocalDateTime;
        var minutes = at.Minute == 0 ? "" : $",number:{at.Minute}";
        return $"{from},sound:pbxrouter/vm-recu-le,number:{at.Day},sound:pbxrouter/mois-{at.Month:00},sound:pbxrouter/vm-a,number:{at.Hour},sound:pbxrouter/vm-heures{minutes}";
    }

    private static DateTimeZone ZoneOf(CompiledRules rules, string practiceId)
    {
        var id = rules.Model.Practices.FirstOrDefault(p => p.Id.Value == practiceId)?.TimeZone.Value ?? "Europe/Paris";
        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? DateTimeZoneProviders.Tzdb["Europe/Paris"];
    }

    private static Task<Heard> PlayAsync(PhoneCall call, string media, CancellationToken ct) => call.PlayAsync(media, ct, lang: "fr", what: "vm");
}
