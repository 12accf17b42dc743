namespace PbxRouter.Routing.Tests.Yaml;

public class ValuesTests
{
    [TestCase("20s", 20)]
    [TestCase("20", 20)]
    [TestCase("1m", 60)]
    [TestCase("1m30s", 90)]
    [TestCase("2h", 7200)]
    public void TryParseDuration_Accepts(string text, int seconds)
    {
        Assert.That(Values.TryParseDuration(text, out var d), Is.True);
        Assert.That(d, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("s")]
    [TestCase("20 seconds")]
    [TestCase("1.5m")]
    [TestCase("-5s")]
    public void TryParseDuration_Rejects(string text) => Assert.That(Values.TryParseDuration(text, out _), Is.False);

    [TestCase("08:00-12:30", 480, 750)]
    [TestCase("8:00 - 12:30", 480, 750)]
    [TestCase("22:00-24:00", 1320, 1440)]
    public void TryParseTimeRange_Accepts(string text, int start, int end)
    {
        Assert.That(Values.TryParseTimeRange(text, out var s, out var e), Is.True);
        Assert.That((s, e), Is.EqualTo((start, end)));
    }

    [TestCase("24:00-24:00")]
    [TestCase("08:60-09:00")]
    [TestCase("08h-12h")]
    [TestCase("25:00-26:00")]
    public void TryParseTimeRange_Rejects(string text) => Assert.That(Values.TryParseTimeRange(text, out _, out _), Is.False);
}
