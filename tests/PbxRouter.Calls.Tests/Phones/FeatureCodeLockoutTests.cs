using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Phones;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Phones;

/// <summary>
/// PIN attempts counted across calls (PinAttemptRepository, on the calls' fake clock): LockAfterWrongPins wrong PINs in a row lock the
/// practice's feature codes for LockFor; a locked practice refuses at once with "verrouillé", without asking the PIN.
/// </summary>
public sealed class FeatureCodeLockoutTests
{
    private static readonly string Scope = PinAttemptRepository.FeatureCodesScope("tilleuls");

    /// <summary>A call from accueil-1 that keys <paramref name="pin"/> and hangs up when told it is wrong (one try per call).</summary>
    private static async Task<PhoneTestCall> OneTryAsync(string pin, FakeTimeProvider time, PhoneTestCall? store = null, string dialled = "*21")
    {
        var call = new PhoneTestCall("accueil-1", dialled, storeFolder: store?.StoreFolder, time: time);
        call.KeysAtPinPrompt(pin + "#");
        call.Fake.On(@"^POST channels/phone-1/play/.*code-incorrect", _ => call.Call.Deliver(Events.Hangup("phone-1")));
        await call.RunAsync();
        return call;
    }

    [Test]
    public async Task ThreeCallsWithOneWrongPinEach_ThenTheRightPin_IsRefusedAtOnceAsLocked()
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var first = await OneTryAsync("1111", time);
        await using var second = await OneTryAsync("2222", time, first);
        await using var third = await OneTryAsync("3333", time, first);

        await using var fourth = new PhoneTestCall("accueil-1", "*21", storeFolder: first.StoreFolder, time: time);
        fourth.KeysAtPinPrompt(PhoneTestCall.Pin + "#");
        await fourth.RunAsync();

        var attempts = await first.CodePins.HistoryAsync(Scope);
        var mode = await fourth.ModeAsync();
        var lockedUntil = await first.CodePins.LockedUntilAsync(Scope);
        Assert.Multiple(() =>
        {
            Assert.That(second.Fake.Matching("code-verrouille"), Is.Empty, "two wrong PINs do not lock");
            Assert.That(third.Fake.Matching("code-incorrect,sound:pbxrouter/code-verrouille"), Is.Not.Empty, "the third locks, and says so");
            Assert.That(fourth.Fake.Matching("code-entrez"), Is.Empty, "no PIN asked while locked");
            Assert.That(fourth.Fake.Matching(@"media=sound:pbxrouter/code-verrouille"), Is.Not.Empty, "told it is locked");
            Assert.That(fourth.Fake.Matching(@"^POST channels/phone-1/answer"), Is.Empty, "refused as early media");
            Assert.That(fourth.Fake.Matching(@"^DELETE channels/phone-1\?"), Is.Not.Empty, "hung up");
            Assert.That(mode, Is.Null, "the right PIN changed nothing while locked");
            Assert.That(attempts.Select(a => (a.TriedBy, a.Accepted)), Is.EqualTo(Enumerable.Repeat(("accueil-1", false), 3)), "each wrong PIN audited");
            Assert.That(lockedUntil, Is.Not.Null);
        });
    }

    [Test]
    public async Task Locked_ThenLockForLater_TheRightPinWorksAgain()
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var first = await OneTryAsync("1111", time);
        await using var second = await OneTryAsync("1111", time, first);
        await using var third = await OneTryAsync("1111", time, first);
        Assert.That(await first.CodePins.LockedUntilAsync(Scope), Is.Not.Null);

        time.Advance(new FeatureCodeOptions().LockFor);
        await using var later = await OneTryAsync(PhoneTestCall.Pin, time, first);

        Assert.That(await later.ModeAsync(), Is.EqualTo("all-to-secretariat"));
        Assert.That((await first.CodePins.HistoryAsync(Scope)).First().Accepted, Is.True);
    }

    [Test]
    public async Task ARightPin_ResetsTheCount()
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var first = await OneTryAsync("1111", time);
        await using var second = await OneTryAsync("1111", time, first);
        await using var right = await OneTryAsync(PhoneTestCall.Pin, time, first, "#21");
        await using var third = await OneTryAsync("1111", time, first);
        await using var fourth = await OneTryAsync("1111", time, first);

        Assert.That(await first.CodePins.LockedUntilAsync(Scope), Is.Null, "two wrong since the right one");
        Assert.That(fourth.Fake.Matching("code-verrouille"), Is.Empty);
    }

    [Test]
    public async Task Locked_ADoctorsPhoneWithoutPin_StillUsesTheCodes()
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var first = await OneTryAsync("1111", time);
        await using var second = await OneTryAsync("1111", time, first);
        await using var third = await OneTryAsync("1111", time, first);

        await using var martin = new PhoneTestCall("dr-martin", "*21", storeFolder: first.StoreFolder, time: time);
        await martin.RunAsync();

        Assert.That(await martin.ModeAsync(), Is.EqualTo("all-to-secretariat"), "the lock is on the PIN, not on the phones the rules trust");
    }

    [Test]
    public async Task NoPinKeyed_IsNoGuess_AndLocksNothing()
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var silent = new PhoneTestCall("accueil-1", "*21", time: time);

        await silent.RunAsync();

        Assert.That(silent.Fake.Matching("code-entrez"), Has.Count.EqualTo(3), "asked three times");
        Assert.That(await silent.CodePins.HistoryAsync(Scope), Is.Empty, "nothing keyed, nothing counted");
        Assert.That(await silent.CodePins.LockedUntilAsync(Scope), Is.Null);
        Assert.That(silent.Fake.Matching("code-refuse"), Is.Not.Empty, "refused at the end of the call");
    }

    [Test]
    public async Task LockSettings_AreTheOptions()
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var first = new PhoneTestCall("accueil-1", "*21", time: time);
        first.Options.LockAfterWrongPins = 1;
        first.Options.LockFor = TimeSpan.FromMinutes(2);
        first.KeysAtPinPrompt("1111#");
        await first.RunAsync();

        var until = await first.CodePins.LockedUntilAsync(Scope);
        Assert.That(first.Fake.Matching("code-entrez"), Has.Count.EqualTo(1), "locked at the first wrong PIN");
        Assert.That(until, Is.Not.Null);
        Assert.That(until!.Value - time.GetUtcNow(), Is.LessThanOrEqualTo(TimeSpan.FromMinutes(2)));
    }
}
