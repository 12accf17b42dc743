using System.Text.Json;
using PbxRouter.Ari.Json;

namespace PbxRouter.Ari.Tests.Json;

public class AriDateTimeOffsetConverterTests
{
    [TestCase("2025-01-20T10:15:42.318+0100", 1)]
    [TestCase("2025-01-20T10:15:42.318-0500", -5)]
    [TestCase("2025-01-20T10:15:42.318+01:00", 1)]
    [TestCase("2025-01-20T10:15:42.318Z", 0)]
    public void Read_AsteriskAndIsoFormats(string text, int offsetHours)
    {
        var channel = JsonSerializer.Deserialize($$"""{"creationtime":"{{text}}"}""", AriJsonContext.Default.Channel)!;

        Assert.That(channel.CreationTime.Offset, Is.EqualTo(TimeSpan.FromHours(offsetHours)));
        Assert.That(channel.CreationTime.Millisecond, Is.EqualTo(318));
        Assert.That(channel.CreationTime.Hour, Is.EqualTo(10));
    }

    [TestCase("soon")]
    [TestCase("2025-13-20T10:15:42.318+0100")]
    [TestCase("0000-01-01T00:00:00.000+0100")]
    public void Read_Garbage_Throws(string text) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($$"""{"creationtime":"{{text}}"}""", AriJsonContext.Default.Channel));

    [Test]
    public void FastPath_MatchesTheGeneralParser()
    {
        Assert.That(AriDateTimeOffsetConverter.TryParseAsterisk("2024-02-29T23:59:59.999-0930"u8, out var v), Is.True);
        Assert.That(v, Is.EqualTo(DateTimeOffset.Parse("2024-02-29T23:59:59.999-09:30")));
        Assert.That(AriDateTimeOffsetConverter.TryParseAsterisk("2025-02-29T23:59:59.999-0930"u8, out _), Is.False);
    }
}
