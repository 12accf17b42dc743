namespace PbxRouter.Store.Tests;

public sealed class RuntimeStateRepositoryTests : StoreTestBase
{
    private RuntimeStateRepository _state = null!;

    [SetUp]
    public void CreateRepository() => _state = new RuntimeStateRepository(Db, Time);

    [Test]
    public async Task GetModes_NothingSet_IsEmpty() =>
        Assert.That(await _state.GetModesAsync(), Is.Empty);

    [Test]
    public async Task SetMode_StoresModeWhoHowWhen()
    {
        var set = await _state.SetModeAsync("cabinet-martin", "absent", "Dr Martin (poste 12)", "feature-code *21");

        var modes = await _state.GetModesAsync();

        Assert.That(set, Is.EqualTo(new PracticeMode("cabinet-martin", "absent", "Dr Martin (poste 12)", "feature-code *21", Start)));
        Assert.That(modes["cabinet-martin"], Is.EqualTo(set));
    }

    [Test]
    public async Task SetForward_ReplacesTheMode_AndAModeOrNormalEndsIt_EachChangeAudited()
    {
        await _state.SetModeAsync("p1", "absent", "Dr A", "feature-code *21");
        Time.Advance(TimeSpan.FromMinutes(1));
        var forward = await _state.SetForwardAsync("p1", "+33612345678", "Dr A", "feature-code *21*NUMBER#");
        Assert.That((await _state.GetModesAsync())["p1"], Is.EqualTo(forward));
        Assert.That((forward.Mode, forward.ForwardTo), Is.EqualTo(((string?)null, "+33612345678")));

        await _state.SetModeAsync("p1", null, "Dr B", "feature-code #21#");

        var now = (await _state.GetModesAsync())["p1"];
        var history = await _state.HistoryAsync("p1");
        Assert.Multiple(() =>
        {
            Assert.That((now.Mode, now.ForwardTo), Is.EqualTo(((string?)null, (string?)null)));
            Assert.That(history.Select(h => (h.PreviousMode, h.Mode, h.PreviousForwardTo, h.ForwardTo)), Is.EqualTo(new (string?, string?, string?, string?)[]
            {
                (null, null, "+33612345678", null),
                ("absent", null, null, "+33612345678"),
                (null, "absent", null, null),
            }));
        });
    }

    [Test]
    public async Task SetMode_BackToNormal_KeepsWhoSetItBack()
    {
        await _state.SetModeAsync("cabinet-martin", "absent", "Dr Martin", "feature-code *21");
        Time.Advance(TimeSpan.FromHours(2));
        await _state.SetModeAsync("cabinet-martin", null, "cli", "pbxrouter mode set");

        var mode = (await _state.GetModesAsync())["cabinet-martin"];

        Assert.That(mode, Is.EqualTo(new PracticeMode("cabinet-martin", null, "cli", "pbxrouter mode set", Start.AddHours(2))));
    }

    [Test]
    public async Task History_RecordsEveryChangeWithPreviousModeNewestFirst()
    {
        await _state.SetModeAsync("p1", "absent", "Dr A", "feature-code *21");
        Time.Advance(TimeSpan.FromMinutes(1));
        await _state.SetModeAsync("p2", "closed", "Dr B", "feature-code *22");
        Time.Advance(TimeSpan.FromMinutes(1));
        await _state.SetModeAsync("p1", null, "Dr A", "feature-code *20");

        var history = await _state.HistoryAsync("p1");

        Assert.That(history.Select(c => (c.PreviousMode, c.Mode, c.SetAt)), Is.EqualTo(new[]
        {
            ((string?)"absent", (string?)null, Start.AddMinutes(2)),
            (null, "absent", Start),
        }));
    }

    [Test]
    public async Task Modes_SurviveRulesApplyAndRollback()
    {
        var rules = new RulesRepository(Db, Time);
        await rules.ApplyAsync(RulesRepositoryTests.Rules("h1"), CancellationToken.None);
        await _state.SetModeAsync("p1", "absent", "Dr A", "feature-code *21");
        var before = await _state.GetModesAsync();
        var historyBefore = await _state.HistoryAsync("p1");

        Time.Advance(TimeSpan.FromMinutes(5));
        await rules.ApplyAsync(RulesRepositoryTests.Rules("h2"), CancellationToken.None);
        await rules.RollbackAsync(1, "it-alice");

        Assert.That(await _state.GetModesAsync(), Is.EqualTo(before));
        Assert.That(await _state.HistoryAsync("p1"), Is.EqualTo(historyBefore));
    }

    [Test]
    public async Task ModeChanges_AreAppendOnly()
    {
        await _state.SetModeAsync("p1", "absent", "Dr A", "feature-code *21");
        Assert.That(() => Execute("UPDATE mode_changes SET set_by = 'x'"), Throws.Exception.Message.Contains("append-only"));
    }
}
