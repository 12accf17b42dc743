using System.Globalization;
using System.Text.RegularExpressions;

namespace PbxRouter.Calls.Fallback;

/// <summary>
/// A message recorded by Asterisk, named so that it says whose it is: left on a practice's fallback route, as named by
/// extensions.conf [fallback-message], <c>fallback~PRACTICE~BOX~EPOCH~CHANNEL~CALLER</c>, or taken by the engine's
/// voicemail step, <c>vm~PRACTICE~BOX~EPOCH~CHANNEL~CALLER</c>; the '.' of the channel id written '-', the '+' of the
/// caller 'p' (the caller part is empty when the caller ID was not a number). A message whose engine died while it was
/// being recorded is found and indexed by its name alone (<see cref="FallbackVoicemailImporter"/>).
/// </summary>
public sealed partial record FallbackMessage(string RecordingName, string PracticeId, string Box, DateTimeOffset RecordedAt, string ChannelId, string? CallerNumber)
{
    /// <summary>The store's id of the message: the same for the same recording, so importing it again changes nothing.</summary>
    public string MessageId => ByEngine
        ? $"{RecordedAt:yyyyMMddHHmmss}-{Box}-{ChannelId.Replace('.', '-')}"
        : $"{RecordedAt:yyyyMMddHHmmss}-fallback-{ChannelId.Replace('.', '-')}";

    /// <summary>The prefix of every recording the fallback route makes.</summary>
    public const string Prefix = "fallback~";

    /// <summary>The prefix of every message the engine's voicemail step records.</summary>
    public const string EnginePrefix = "vm~";

    /// <summary>True for a message the engine's voicemail step recorded (else the fallback route's).</summary>
    public bool ByEngine => RecordingName.StartsWith(EnginePrefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="recordingName"/> has the prefix of a message (engine or fallback route).</summary>
    public static bool IsMessageName(string recordingName) =>
        recordingName.StartsWith(Prefix, StringComparison.Ordinal) || recordingName.StartsWith(EnginePrefix, StringComparison.Ordinal);

    /// <summary>The name of the message the engine records now on <paramref name="channelId"/> for this box.</summary>
    public static FallbackMessage ByEngineNow(string practiceId, string box, DateTimeOffset at, string channelId, string? caller)
    {
        var digits = caller is { } c && Caller().IsMatch(c.Replace('+', 'p')) && c.Length <= 17 ? c.Replace('+', 'p') : "";
        var name = $"{EnginePrefix}{practiceId}~{box}~{at.ToUnixTimeSeconds()}~{channelId.Replace('.', '-')}~{digits}";
        return TryParse(name) ?? throw new ArgumentException($"'{practiceId}' / '{box}' / '{channelId}' cannot name a message");
    }

    /// <summary>The message a recording name stands for, or null when it is not one of the fallback route's.</summary>
    public static FallbackMessage? TryParse(string recordingName)
    {
        var m = Name().Match(recordingName);
        if (!m.Success || !long.TryParse(m.Groups["epoch"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            || epoch > 253402300799) return null;
        var channel = m.Groups["channel"].Value;
        var dash = channel.LastIndexOf('-');
        var caller = m.Groups["caller"].Value;
        return new FallbackMessage(recordingName, m.Groups["practice"].Value, m.Groups["box"].Value, DateTimeOffset.FromUnixTimeSeconds(epoch),
            dash < 0 ? channel : $"{channel[..dash]}.{channel[(dash + 1)..]}",
            Caller().IsMatch(caller) ? caller.Replace('p', '+') : null);
    }

    [GeneratedRegex(@"^(?:fallback|vm)~(?<practice>[a-z0-9_-]+)~(?<box>[a-z0-9_-]+)~(?<epoch>[0-9]{1,12})~(?<channel>[A-Za-z0-9_-]+)~(?<caller>[0-9p]{0,17})$")]
    private static partial Regex Name();

    // FILTER(0-9+) of the caller ID keeps any '+': only "+digits" or "digits" is a number.
    [GeneratedRegex("^p?[0-9]+$")]
    private static partial Regex Caller();
}
