using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Calls.Rules;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Rules;

/// <summary>The mode lamps of the Tilleuls' sample rules (modes all-to-secretariat, forward-to-mobile, closed) on a fake ARI.</summary>
public sealed class ModeLampsTests
{
    private static (ModeLamps Lamps, FakeAri Fake) Lamps()
    {
        var fake = new FakeAri();
        var store = new TempStore();
        var rules = new ActiveRules(new RulesRepository(store.Db, TimeProvider.System), NullLogger<ActiveRules>.Instance);
        rules.Use(1, PhoneTestCall.Tilleuls);
        return (new ModeLamps(fake.Client(), rules, NullLogger<ModeLamps>.Instance), fake);
    }

    [Test]
    public void Dialplan_HasAHintPerMode_OnItsOwnExtensionAndOnTheCodesThatSwitchItOn_AndOneForAnyMode()
    {
        var text = ModeLamps.Dialplan(PhoneTestCall.Tilleuls.Model);

        Assert.That(text, Does.Contain("""
            [lamps-tilleuls]
            exten => modes,hint,Stasis:pbxrouter.modes.tilleuls
            exten => mode-all-to-secretariat,hint,Stasis:pbxrouter.mode.tilleuls.all-to-secretariat
            exten => *21,hint,Stasis:pbxrouter.mode.tilleuls.all-to-secretariat
            exten => mode-forward-to-mobile,hint,Stasis:pbxrouter.mode.tilleuls.forward-to-mobile
            exten => *22,hint,Stasis:pbxrouter.mode.tilleuls.forward-to-mobile
            exten => mode-closed,hint,Stasis:pbxrouter.mode.tilleuls.closed
            exten => *28,hint,Stasis:pbxrouter.mode.tilleuls.closed
            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Phones_SubscribeInTheirPracticesLampsContext()
    {
        var (text, _) = PjsipConfig.Generate(PhoneTestCall.Tilleuls.Model, _ => "secret");

        Assert.That(text, Does.Contain("set_var = PBX_PHONE=dr-martin\nsubscribe_context = lamps-tilleuls\n"));
    }

    [Test]
    public async Task SetAll_AForwardToANumber_LightsAnyModeOnly()
    {
        var (lamps, fake) = Lamps();

        await lamps.SetAsync(PhoneTestCall.Tilleuls, RuntimeState.None.WithForward("tilleuls", "+33612345678"), force: true, CancellationToken.None);

        Assert.That(fake.Matching("^PUT deviceStates/").Where(r => r.Contains("INUSE") && !r.Contains("NOT_INUSE")),
            Is.EqualTo(new[] { "PUT deviceStates/Stasis:pbxrouter.modes.tilleuls?deviceState=INUSE" }));
    }

    [Test]
    public async Task SetAll_LightsTheActiveModeAndAnyMode_ClearsTheOthers()
    {
        var (lamps, fake) = Lamps();

        await lamps.SetAsync(PhoneTestCall.Tilleuls, RuntimeState.None.WithMode("tilleuls", "closed"), force: true, CancellationToken.None);

        Assert.That(fake.Matching("^PUT deviceStates/").Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.all-to-secretariat?deviceState=NOT_INUSE",
            "PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.closed?deviceState=INUSE",
            "PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.forward-to-mobile?deviceState=NOT_INUSE",
            "PUT deviceStates/Stasis:pbxrouter.modes.tilleuls?deviceState=INUSE",
        }));
    }

    [Test]
    public async Task AChange_SetsOnlyTheLampsThatChange()
    {
        var (lamps, fake) = Lamps();
        await lamps.SetAsync(PhoneTestCall.Tilleuls, RuntimeState.None.WithMode("tilleuls", "closed"), force: true, CancellationToken.None);
        fake.Requests.Clear();

        await lamps.SetAsync(PhoneTestCall.Tilleuls, RuntimeState.None.WithMode("tilleuls", "all-to-secretariat"), force: false, CancellationToken.None);

        Assert.That(fake.Matching("^PUT deviceStates/").Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.all-to-secretariat?deviceState=INUSE",
            "PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.closed?deviceState=NOT_INUSE",
        }));
    }

    [Test]
    public async Task ALampAsteriskRefuses_IsLogged_NotThrown_AndSentAgainNextTime()
    {
        var (lamps, fake) = Lamps();
        fake.Failures.Add(("^PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.closed", 500));

        await lamps.SetAsync(PhoneTestCall.Tilleuls, RuntimeState.None.WithMode("tilleuls", "closed"), force: false, CancellationToken.None);
        fake.Failures.Clear();
        await lamps.SetAsync(PhoneTestCall.Tilleuls, RuntimeState.None.WithMode("tilleuls", "closed"), force: false, CancellationToken.None);

        Assert.That(fake.Matching("^PUT deviceStates/Stasis:pbxrouter.mode.tilleuls.closed"), Has.Count.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task RuntimeModes_TellsItsObservers_WhenTheModesChange_OnlyThen()
    {
        await using var store = new TempStore();
        var repository = new RuntimeStateRepository(store.Db, TimeProvider.System);
        var seen = new List<string>();
        var modes = new RuntimeModes(repository, [new Recorder(seen)]);

        await modes.RefreshAsync(CancellationToken.None);
        await modes.SetAsync("tilleuls", "closed", "dr-martin", "feature-code *28", CancellationToken.None);
        await modes.RefreshAsync(CancellationToken.None);
        await repository.SetModeAsync("tilleuls", null, "cli", "another process");
        await modes.RefreshAsync(CancellationToken.None);

        Assert.That(seen, Is.EqualTo(new[] { "tilleuls=closed", "" }));
    }

    private sealed class Recorder(List<string> seen) : IModesObserver
    {
        public Task ModesChangedAsync(RuntimeState state, CancellationToken ct)
        {
            seen.Add(string.Join(";", state.ActiveModes.Select(m => $"{m.Key}={m.Value}")));
            return Task.CompletedTask;
        }
    }
}
