using System.Globalization;
using System.Text.RegularExpressions;

namespace PbxRouter.Calls.Fallback;

/// <summary>
/// A message left on a practice's fallback route, as named by extensions.conf [fallback-message]:
/// <c>fallback~PRACTICE~BOX~EPOCH~CHANNEL~CALLER</c>, the '.' of the channel id written '-', the '+' of the caller 'p'
/// (the caller part is empty when the caller ID was not a number).
/// </summary>
public sealed partial record FallbackMessage(string RecordingName, string PracticeId, string Box, DateTimeOffset RecordedAt, string ChannelId, string? CallerNumber)
{
    /// <summary>The store's id of the message: the same for the same recording, so importing it again changes nothing.</summary>
    public string MessageId => $"{RecordedAt:yyyyMMddHHmmss}-fallback-{ChannelId.Replace('.', '-')}";

    /// <summary>The prefix of every recording the fallback route makes.</summary>
    public const string Prefix = "fallback~";

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

    [GeneratedRegex(@"^fallback~(?<practice>[a-z0-9_-]+)~(?<box>[a-z0-9_-]+)~(?<epoch>[0-9]{1,12})~(?<channel>[A-Za-z0-9_-]+)~(?<caller>[0-9p]{0,17})$")]
    private static partial Regex Name();

    // FILTER(0-9+) of the caller ID keeps any '+': only "+digits" or "digits" is a number.
    [GeneratedRegex("^p?[0-9]+$")]
    private static partial Regex Caller();
}
