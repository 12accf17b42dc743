using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NodaTime;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Runtime;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;
using PbxRouter.Store;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// *97: a box's messages read to a phone of its practice. The box's <c>owner_phones</c> listen directly; any other phone
/// gives the box's PIN (<c>pin_env</c>): wrong PINs are counted across calls (<see cref="PinAttemptRepository"/>) and
/// <see cref="MaxWrongPins"/> in a row lock the box for <see cref="LockFor"/>, which a PIN caller hears at once.
/// Then the number of new messages, and each message (new ones first) with its caller and date; after each:
/// 1 replays, 2 next, 3 deletes (audio and index row, audited), 4 calls the caller back through the practice's outside-call
/// policy, 0 reads the menu out; no key goes to the next message.
/// </summary>
public sealed class VoicemailListening(
    VoicemailRepository repository, IVoicemailAudio audio, PinAttemptRepository pins, FeatureCodeOptions options, PhoneDialing dialing,
    CallRecordWriter records, ActiveRules activeRules, ILogger<VoicemailListening> logger)
{
    /// <summary>Wrong PINs in a row (over any number of calls) that lock a box.</summary>
    public const int MaxWrongPins = 3;

    /// <summary>How long a box stays locked after <see cref="MaxWrongPins"/> wrong PINs.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    /// <summary>Keys handled per message at most: a DTMF flood cannot hold the call in a menu loop.</summary>
    private const int MaxMessages = 50, MaxActionsPerMessage = 12;

    public const string Count = "sound:pbxrouter/vm-nombre", NoMessage = "sound:pbxrouter/vm-aucun", Choice = "sound:pbxrouter/vm-choix",
        Menu = "sound:pbxrouter/vm-menu", Deleted = "sound:pbxrouter/vm-supprime", End = "sound:pbxrouter/vm-fin",
        Locked = "sound:pbxrouter/vm-verrouille", Withheld = "sound:pbxrouter/vm-rappel-masque", CallingBack = "sound:pbxrouter/vm-rappel";

    /// <summary>The PIN scope of a box (box ids are only unique within their practice).</summary>
    public static string PinScope(string practiceId, string box) => PinAttemptRepository.VoicemailBoxScope($"{practiceId}.{box}");

    public async Task RunAsync(PhoneCall call, PhoneIdentity phone, string box, CompiledRules rules, CancellationToken ct)
    {
        var practice = rules.Model.Practices.FirstOrDefault(p => p.Id.Value == phone.PracticeId);
        var boxRule = practice?.VoicemailBoxes.FirstOrDefault(b => b.Id.Value == box);
        if (practice is null || boxRule is null)
        {
            await PlayAsync(call, "sound:pbxrouter/code-refuse", ct).ConfigureAwait(false);
            return;
        }
        var owner = boxRule.OwnerPhones.Any(p => p.Value == phone.PhoneId);
        if (!owner && !await CheckPinAsync(call, phone, boxRule, ct).ConfigureAwait(false)) return;

        var all = (await repository.ListAsync(box, includeListened: true, ct).ConfigureAwait(false))
            .Where(m => m.PracticeId == phone.PracticeId).ToList();
        // New messages first (urgent, then newest, as the index orders them), then those already listened to.
        var messages = all.Where(m => m.ListenedAt is null).Concat(all.Where(m => m.ListenedAt is not null)).Take(MaxMessages).ToList();
        var fresh = all.Count(m => m.ListenedAt is null);
        logger.LogInformation("Call {CallId}: phone {Phone} listens to box {Box} ({How}): {New} new of {Count} messages", call.CallId, phone.PhoneId,
            box, owner ? "owner" : "PIN", fresh, messages.Count);
        if (messages.Count == 0)
        {
            await PlayAsync(call, NoMessage, ct).ConfigureAwait(false);
            return;
        }
        // The number on its own playback: its PlaybackStarted (media "number:N") is in the call's trace.
        if ((await PlayAsync(call, Count, ct).ConfigureAwait(false)).Gone || (await PlayAsync(call, $"number:{fresh}", ct).ConfigureAwait(false)).Gone)
            return;
        var zone = ZoneOf(practice);
        foreach (var message in messages)
        {
            if (!await ListenAsync(call, phone, message, zone, rules, ct).ConfigureAwait(false)) return;
        }
        await PlayAsync(call, End, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The box's PIN from a phone that does not own it; false (and the phone told why) when the box is locked, has no PIN,
    /// or the PIN is not given. Every attempt is recorded (never the PIN); the lock holds across calls and restarts.
    /// </summary>
    private async Task<bool> CheckPinAsync(PhoneCall call, PhoneIdentity phone, VoicemailBox box, CancellationToken ct)
    {
        var scope = PinScope(phone.PracticeId, box.Id.Value);
        if (await pins.LockedUntilAsync(scope, ct).ConfigureAwait(false) is { } until)
        {
            logger.LogWarning("Call {CallId}: box {Box} of {Practice} is locked until {Until:O} (wrong PINs); phone {Phone} refused",
                call.CallId, box.Id.Value, phone.PracticeId, until, phone.PhoneId);
            await PlayAsync(call, Locked, ct).ConfigureAwait(false);
            return false;
        }
        var expected = box.PinEnv is null ? null : options.Secrets(box.PinEnv);
        if (string.IsNullOrEmpty(expected))
        {
            logger.LogWarning("Call {CallId}: phone {Phone} is not an owner of box {Box} and the box has no PIN ({PinEnv}): refused",
                call.CallId, phone.PhoneId, box.Id.Value, box.PinEnv ?? "no pin_env");
            await PlayAsync(call, "sound:pbxrouter/code-refuse", ct).ConfigureAwait(false);
            return false;
        }
        for (var attempt = 1; attempt <= MaxWrongPins; attempt++)
        {
            var read = await call.ReadDigitsAsync("sound:pbxrouter/code-entrez", options.MaxPinDigits, options.FirstDigit, options.BetweenDigits, ct,
                "pin").ConfigureAwait(false);
            if (read.Gone) return false;
            if (read.Digits.Length == 0)
            {
                if (attempt < MaxWrongPins) continue; // nothing keyed: not an attempt, asked again
                break;
            }
            var verdict = await pins.RecordAsync(scope, phone.PhoneId, SameSecret(read.Digits, expected), MaxWrongPins, LockFor, ct).ConfigureAwait(false);
            if (verdict.Accepted) return true;
            logger.LogWarning("Call {CallId}: wrong PIN for box {Box} of {Practice} from phone {Phone} ({Left} left before the lock)",
                call.CallId, box.Id.Value, phone.PracticeId, phone.PhoneId, verdict.TriesLeft);
            if (verdict.Locked)
            {
                await PlayAsync(call, $"sound:pbxrouter/code-incorrect,{Locked}", ct).ConfigureAwait(false);
                return false;
            }
            if ((await PlayAsync(call, "sound:pbxrouter/code-incorrect", ct).ConfigureAwait(false)).Gone) return false;
        }
        await PlayAsync(call, "sound:pbxrouter/code-refuse", ct).ConfigureAwait(false);
        return false;
    }

    /// <summary>One message and its menu; false when the listening is over (the phone hung up, or a call back took it).</summary>
    private async Task<bool> ListenAsync(PhoneCall call, PhoneIdentity phone, VoicemailMessage message, DateTimeZone zone, CompiledRules rules,
        CancellationToken ct)
    {
        var play = true;
        var pending = "";
        for (var action = 0; action < MaxActionsPerMessage; action++)
        {
            var choice = pending;
            pending = "";
            if (play)
            {
                play = false;
                // The header (caller, date), then the audio: a key pressed during either is the choice.
                var heard = await PlayEachAsync(call, Header(message, zone), ct).ConfigureAwait(false);
                if (!heard.Gone && heard.Digits == "")
                    heard = await call.PlayAsync(audio.PlaybackMedia(message), ct, CallPrompts.AnyKey, lang: "fr", what: "vm-message").ConfigureAwait(false);
                if (heard.Gone) return false;
                await repository.MarkListenedAsync(message.Id, phone.PhoneId, ct).ConfigureAwait(false);
                choice = heard.Digits;
            }
            if (choice == "")
            {
                var read = await call.ReadDigitsAsync(Choice, 1, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1), ct, "vm-choice").ConfigureAwait(false);
                if (read.Gone) return false;
                choice = read.Digits;
            }
            switch (choice)
            {
                case "1":
                    play = true;
                    break;
                case "" or "2":
                    return true;
                case "3":
                    await repository.DeleteAsync(message.Id, phone.PhoneId, ct).ConfigureAwait(false);
                    await call.OnLegAsync(() => audio.DeleteAsync(message, ct)).ConfigureAwait(false);
                    logger.LogInformation("Call {CallId}: message {MessageId} deleted by phone {Phone}", call.CallId, message.Id, phone.PhoneId);
                    return !(await PlayAsync(call, Deleted, ct).ConfigureAwait(false)).Gone;
                case "4":
                    if (await CallBackAsync(call, phone, message, rules, ct).ConfigureAwait(false)) return false;
                    if (call.CallerGone) return false;
                    break;
                default:
                    // 0 (or any other key): the menu read out; a key pressed during it is the choice.
                    var menu = await call.PlayAsync(Menu, ct, CallPrompts.AnyKey, lang: "fr", what: "vm-menu").ConfigureAwait(false);
                    if (menu.Gone) return false;
                    pending = menu.Digits;
                    break;
            }
        }
        return true;
    }

    /// <summary>
    /// Key 4: the phone calls the message's caller back as if it had dialled the number: the practice's outside-call policy
    /// (<see cref="PhoneDialDecision"/>) decides, the call goes out through the practice's trunk presenting the practice's number
    /// (<see cref="PhoneDialing.OutsideAsync"/>) and is a call record of its own. A withheld caller or a number the policy refuses
    /// is said, and the menu goes on (false). True once the number was dialled: the listening is over.
    /// </summary>
    private async Task<bool> CallBackAsync(PhoneCall call, PhoneIdentity phone, VoicemailMessage message, CompiledRules rules, CancellationToken ct)
    {
        if (message.CallerNumber is not { Length: > 0 } number || !number.All(c => char.IsAsciiDigit(c) || c == '+'))
        {
            logger.LogInformation("Call {CallId}: message {MessageId} has no caller number to call back", call.CallId, message.Id);
            await PlayAsync(call, Withheld, ct).ConfigureAwait(false);
            return false;
        }
        var dial = PhoneDialDecision.Decide(rules, phone.PracticeId, phone.PhoneId, number);
        if (dial is not { Kind: PhoneDialKind.Outside or PhoneDialKind.Emergency })
        {
            logger.LogInformation("Call {CallId}: call back of message {MessageId} refused: {Why}", call.CallId, message.Id,
                dial is null ? "phone not in the rules" : $"{dial.Kind}, {dial.Policy ?? dial.NumberKind?.ToString() ?? "not an outside number"}");
            await PlayAsync(call, PhonePrompts.Refused(dial is { Kind: PhoneDialKind.Refused } ? dial.NumberKind : NumberKind.Invalid), ct)
                .ConfigureAwait(false);
            return false;
        }
        if ((await PlayAsync(call, CallingBack, ct).ConfigureAwait(false)).Gone) return true;
        var record = new PhoneCallRecord(records, call);
        await record.StartAsync(dial, dial.CallerId, activeRules.Version, call.Time.GetUtcNow()).ConfigureAwait(false);
        await record.StepAsync(CallStepKinds.Entered, phone.PhoneId,
            $"from phone {phone.PhoneId}: call back of voicemail message {message.Id} (*97), {PhoneNumberMask.Mask(dial.Destination)}, "
            + $"allowed ({dial.Policy ?? "emergency"}), through {(dial.Trunk is null ? "the default trunk" : $"trunk {dial.Trunk}")}, presenting {dial.CallerId}")
            .ConfigureAwait(false);
        logger.LogInformation("Call {CallId}: phone {Phone} calls back the caller of message {MessageId}", call.CallId, phone.PhoneId, message.Id);
        var outcome = CallOutcomes.Abandoned;
        try
        {
            outcome = await dialing.OutsideAsync(call, dial, rules, record, ct).ConfigureAwait(false);
        }
        finally
        {
            await call.EndAllAsync().ConfigureAwait(false);
            await record.EndAsync(outcome).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// "Message du 0 6 1 2 ..., reçu le 23 novembre à 14 heures 05" in the practice's local time, as separate media: Asterisk
    /// does not stop a playback's remaining media list (nor a digits: say) when asked, so each item is its own playback
    /// and a key cuts the header at once; the caller's number is read as single digit sounds.
    /// </summary>
    internal static IReadOnlyList<string> Header(VoicemailMessage message, DateTimeZone zone)
    {
        var items = new List<string>();
        if (message.CallerNumber is { Length: > 0 } n && n.All(c => char.IsAsciiDigit(c) || c == '+'))
        {
            items.Add("sound:pbxrouter/vm-message-de");
            items.AddRange((n.StartsWith("+33", StringComparison.Ordinal) ? "0" + n[3..] : n.TrimStart('+')).Select(d => $"sound:digits/{d}"));
        }
        else items.Add("sound:pbxrouter/vm-message-masque");
        var at = Instant.FromDateTimeOffset(message.RecordedAt).InZone(zone).LocalDateTime;
        items.AddRange(["sound:pbxrouter/vm-recu-le", $"number:{at.Day}", $"sound:pbxrouter/mois-{at.Month:00}", "sound:pbxrouter/vm-a",
            $"number:{at.Hour}", "sound:pbxrouter/vm-heures"]);
        if (at.Minute != 0) items.Add($"number:{at.Minute}");
        return items;
    }

    /// <summary>Plays the media one after the other; a key stops them and is returned.</summary>
    private static async Task<Heard> PlayEachAsync(PhoneCall call, IReadOnlyList<string> media, CancellationToken ct)
    {
        foreach (var item in media)
        {
            var heard = await call.PlayAsync(item, ct, CallPrompts.AnyKey, lang: "fr", what: "vm-header").ConfigureAwait(false);
            if (heard.Gone || heard.Digits != "") return heard;
        }
        return new Heard(false);
    }

    private static DateTimeZone ZoneOf(Practice practice) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(practice.TimeZone.Value) ?? DateTimeZoneProviders.Tzdb["Europe/Paris"];

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static Task<Heard> PlayAsync(PhoneCall call, string media, CancellationToken ct) => call.PlayAsync(media, ct, lang: "fr", what: "vm");
}
