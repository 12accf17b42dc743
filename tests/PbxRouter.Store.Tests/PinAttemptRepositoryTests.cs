namespace PbxRouter.Store.Tests;

public sealed class PinAttemptRepositoryTests : StoreTestBase
{
    private static readonly TimeSpan Lock = TimeSpan.FromMinutes(15);
    private const string Scope = "feature-codes:tilleuls";
    private PinAttemptRepository _pins = null!;

    [SetUp]
    public void CreateRepository() => _pins = new PinAttemptRepository(Db, Time);

    private Task<PinVerdict> TryAsync(bool ok, string by = "salle-attente") => _pins.RecordAsync(Scope, by, ok, 3, Lock);

    [Test]
    public async Task ThreeWrongPins_InSeparateCalls_LockTheScopeForFifteenMinutes()
    {
        Assert.That(await TryAsync(false), Is.EqualTo(new PinVerdict(false, 2, null)));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await TryAsync(false), Is.EqualTo(new PinVerdict(false, 1, null)));
        Time.Advance(TimeSpan.FromMinutes(1));
        var third = await TryAsync(false);

        Assert.That(third, Is.EqualTo(new PinVerdict(false, 0, Start.AddMinutes(2) + Lock)));
        Assert.That(await _pins.LockedUntilAsync(Scope), Is.EqualTo(Start.AddMinutes(2) + Lock));
    }

    [Test]
    public async Task WhileLocked_EvenTheRightPinIsRefused_AndTheLockEndsOnTime()
    {
        for (var i = 0; i < 3; i++) await TryAsync(false);
        Time.Advance(Lock - TimeSpan.FromSeconds(1));

        Assert.That((await TryAsync(true)).Accepted, Is.False);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await _pins.LockedUntilAsync(Scope), Is.Null);
        Assert.That(await TryAsync(true), Is.EqualTo(new PinVerdict(true, 3, null)));
    }

    [Test]
    public async Task AfterALockEnds_ThreeNewTries_NotOne()
    {
        for (var i = 0; i < 3; i++) await TryAsync(false);
        Time.Advance(Lock);

        Assert.That(await TryAsync(false), Is.EqualTo(new PinVerdict(false, 2, null)));
    }

    [Test]
    public async Task ARightPin_StartsTheCountAgain()
    {
        await TryAsync(false);
        await TryAsync(false);
        await TryAsync(true);

        Assert.That(await TryAsync(false), Is.EqualTo(new PinVerdict(false, 2, null)));
    }

    [Test]
    public async Task Scopes_AreIndependent()
    {
        for (var i = 0; i < 3; i++) await TryAsync(false);

        Assert.That(await _pins.LockedUntilAsync(PinAttemptRepository.VoicemailBoxScope("tilleuls-general")), Is.Null);
    }

    [Test]
    public async Task EveryAttempt_IsAuditedWithoutThePin_AndTheAuditCannotBeEdited()
    {
        await TryAsync(false, "accueil-1");
        await TryAsync(true, "dr-martin");

        var history = await _pins.HistoryAsync(Scope);

        Assert.That(history.Select(a => (a.TriedBy, a.Accepted)), Is.EqualTo(new[] { ("dr-martin", true), ("accueil-1", false) }));
        Assert.That(() => Execute("DELETE FROM pin_attempts"), Throws.Exception.With.Message.Contains("append-only"));
    }

    [Test]
    public async Task ALockSurvivesReopeningTheDatabase()
    {
        for (var i = 0; i < 3; i++) await TryAsync(false);

        var reopened = new PinAttemptRepository(new StoreDatabase(DbPath, Time), Time);

        Assert.That(await reopened.LockedUntilAsync(Scope), Is.EqualTo(Start + Lock));
    }
}
