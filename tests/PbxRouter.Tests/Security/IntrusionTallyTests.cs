using Microsoft.Extensions.Time.Testing;
using PbxRouter.Security;

namespace PbxRouter.Tests.Security;

[TestFixture]
public sealed class IntrusionTallyTests
{
    private const string Line =
        "[2026-12-01 21:07:28.939] SECURITY[31081] res_security_log.c: SecurityEvent=\"InvalidAccountID\",EventTV=\"2026-12-01T21:07:28.939+0000\","
        + "Severity=\"Error\",Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"trunk\",SessionID=\"3-31098@127.0.0.9\","
        + "LocalAddress=\"IPV4/UDP/127.0.0.1/5560\",RemoteAddress=\"IPV4/UDP/127.0.0.9/5799\"";

    [Test]
    public void Parse_AsteriskSecurityLine_GivesTheEventTheAccountAndTheSourceAddress()
    {
        var e = SecurityEvent.Parse(Line);
        Assert.That(e, Is.EqualTo(new SecurityEvent("InvalidAccountID", "trunk", "127.0.0.9")));
        Assert.That(e!.IsRefusal);
    }

    [TestCase("[2026-12-01] NOTICE[1] pjsip: something else")]
    [TestCase("SecurityEvent=\"InvalidAccountID\"")]
    [TestCase("")]
    public void Parse_LineThatIsNotASecurityEvent_IsNull(string line) => Assert.That(SecurityEvent.Parse(line), Is.Null);

    [Test]
    public void Parse_Ipv6Source_KeepsTheWholeAddress() =>
        Assert.That(SecurityEvent.Parse("SecurityEvent=\"FailedACL\",RemoteAddress=\"IPV6/UDP/2001:db8::1/5060\"")!.SourceAddress, Is.EqualTo("2001:db8::1"));

    [Test]
    public void Add_AThousandRefusalsFromOneSource_ReportsTheFirstThenOneSummaryPerPeriod()
    {
        var time = new FakeTimeProvider();
        var tally = new IntrusionTally(TimeSpan.FromMinutes(5), time);
        var e = SecurityEvent.Parse(Line)!;

        var reports = new List<IntrusionReport>();
        for (var i = 0; i < 1000; i++)
        {
            if (tally.Add(e) is { } r) reports.Add(r);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        reports.AddRange(tally.Due());

        Assert.That(reports, Has.Count.EqualTo(1), "100 s of flood: only the first report");
        Assert.That(reports[0].First);
        time.Advance(TimeSpan.FromMinutes(5));
        var summary = tally.Due().Single();
        Assert.Multiple(() =>
        {
            Assert.That(summary.Refused, Is.EqualTo(999));
            Assert.That(summary.Total, Is.EqualTo(1000));
            Assert.That(summary.Accounts, Is.EqualTo(new[] { "trunk" }));
            Assert.That(tally.Of("127.0.0.9"), Is.EqualTo((1000L, 2)));
            Assert.That(tally.Due(), Is.Empty, "nothing new since the summary");
        });
    }

    [Test]
    public void Add_AChallengeSent_IsNotARefusal()
    {
        var tally = new IntrusionTally(TimeSpan.FromMinutes(5), new FakeTimeProvider());
        Assert.That(tally.Add(new SecurityEvent("ChallengeSent", "", "127.0.0.9")), Is.Null);
        Assert.That(tally.Of("127.0.0.9"), Is.Null);
    }

    [Test]
    public void Add_MoreSourcesThanTracked_ForgetsTheQuietestInsteadOfGrowing()
    {
        var tally = new IntrusionTally(TimeSpan.FromMinutes(5), new FakeTimeProvider());
        for (var i = 0; i <= IntrusionTally.MaxSources; i++) tally.Add(new SecurityEvent("InvalidAccountID", "x", $"10.0.{i / 256}.{i % 256}"));
        Assert.That(tally.Of("10.0.0.0"), Is.Null, "the oldest quiet source was forgotten");
        Assert.That(tally.Of($"10.0.{IntrusionTally.MaxSources / 256}.{IntrusionTally.MaxSources % 256}"), Is.Not.Null);
    }
}
