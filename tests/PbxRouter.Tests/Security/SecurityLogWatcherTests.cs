using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Security;

namespace PbxRouter.Tests.Security;

[TestFixture]
public sealed class SecurityLogWatcherTests
{
    private string _path = "";

    [SetUp]
    public void CreateLog() => _path = Path.Combine(Path.GetTempPath(), $"security-{Guid.NewGuid():N}.log");

    [TearDown]
    public void DeleteLog() => File.Delete(_path);

    [Test]
    public void ReadNewLines_OnlyCountsWhatAsteriskWroteSinceTheEngineStarted_AndAPartialLineOnceComplete()
    {
        File.WriteAllText(_path, Event("10.0.0.1") + "\n");
        var (watcher, tally) = Watcher();
        watcher.ReadNewLines();                                  // starts at the end: the old line is not counted
        File.AppendAllText(_path, Event("10.0.0.2") + "\n" + Event("10.0.0.3")[..40]);
        watcher.ReadNewLines();
        File.AppendAllText(_path, Event("10.0.0.3")[40..] + "\n");
        watcher.ReadNewLines();

        Assert.Multiple(() =>
        {
            Assert.That(tally.Of("10.0.0.1"), Is.Null);
            Assert.That(tally.Of("10.0.0.2")?.Refused, Is.EqualTo(1));
            Assert.That(tally.Of("10.0.0.3")?.Refused, Is.EqualTo(1), "a line split across two reads counts once");
        });
    }

    [Test]
    public void ReadNewLines_AfterTheLogWasRotated_ReadsTheNewFileFromItsStart()
    {
        File.WriteAllText(_path, Event("10.0.0.1") + "\n" + Event("10.0.0.1") + "\n");
        var (watcher, tally) = Watcher();
        watcher.ReadNewLines();
        File.WriteAllText(_path, Event("10.0.0.4") + "\n");     // logrotate: a new, shorter file
        watcher.ReadNewLines();

        Assert.That(tally.Of("10.0.0.4")?.Refused, Is.EqualTo(1));
    }

    [Test]
    public void ReadNewLines_HostileAccountName_IsCountedWithoutBreakingAnything()
    {
        var (watcher, tally) = Watcher();
        watcher.ReadNewLines();
        File.AppendAllText(_path, Event("10.0.0.5").Replace("AccountID=\"trunk\"", "AccountID=\"\u001b[2J' OR 1=1;--\"") + "\n");
        watcher.ReadNewLines();

        Assert.That(tally.Of("10.0.0.5")?.Refused, Is.EqualTo(1));
    }

    private (SecurityLogWatcher, IntrusionTally) Watcher()
    {
        var time = new FakeTimeProvider();
        var tally = new IntrusionTally(TimeSpan.FromMinutes(5), time);
        var options = new SecurityLogOptions { SecurityLogPath = _path };
        return (new SecurityLogWatcher(options, tally, time, NullLogger<SecurityLogWatcher>.Instance), tally);
    }

    private static string Event(string address) =>
        $"[2026-12-01 21:07:28.939] SECURITY[1] res_security_log.c: SecurityEvent=\"InvalidAccountID\",AccountID=\"trunk\",RemoteAddress=\"IPV4/UDP/{address}/5060\"";
}
