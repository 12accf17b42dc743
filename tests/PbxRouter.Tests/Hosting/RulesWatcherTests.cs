using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PbxRouter.Calls.Rules;
using PbxRouter.Hosting;
using PbxRouter.Routing;
using PbxRouter.Store;
using PbxRouter.Tests.Cli;

namespace PbxRouter.Tests.Hosting;

/// <summary>A running engine picks up `rules apply` and mode changes without a restart.</summary>
[TestFixture]
public sealed class RulesWatcherTests
{
    [Test]
    public async Task Watcher_PicksUpANewRulesVersionAndModes_WithoutRestart()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T08:00:00Z"));
        var db = new StoreDatabase(Path.Combine(CliRunner.TempFolder(), "pbx.db"), time);
        var repository = new RulesRepository(db, time);
        var states = new RuntimeStateRepository(db, time);
        var rules = new ActiveRules(repository, NullLogger<ActiveRules>.Instance);
        var modes = new RuntimeModes(states);
        using var watcher = new RulesWatcher(db, rules, modes, time, NullLogger<RulesWatcher>.Instance);

        await watcher.StartAsync(CancellationToken.None);
        Assert.That(rules.Current, Is.Null, "nothing applied yet");

        await Apply(repository, Path.Combine(CliRunner.SamplesFolder, "tilleuls.yaml"));
        await states.SetModeAsync("tilleuls", "all-to-secretariat", "dr-martin", "feature-code *21");
        await TickUntil(time, () => rules.Version == 1 && modes.Current.ActiveModes.ContainsKey("tilleuls"));
        var first = rules.Current;

        await Apply(repository, CliRunner.SamplesFolder);
        await TickUntil(time, () => rules.Version == 2);
        Assert.That(rules.Current, Is.Not.SameAs(first), "new calls get the new version");
        Assert.That(first!.Model.Practices, Has.Count.EqualTo(1), "a call that took version 1 keeps it");
        Assert.That(modes.Current.ActiveModes["tilleuls"], Is.EqualTo("all-to-secretariat"), "modes survive a rules apply");

        await watcher.StopAsync(CancellationToken.None);
    }

    private static async Task Apply(RulesRepository repository, string path)
    {
        var files = RulesSource.Load(path);
        var compiled = RulesCompiler.Compile(files).Rules!;
        await repository.ApplyAsync(new RulesApplication(files.Select(f => new RulesSourceFile(f.Path, f.Text)).ToList(),
            compiled.ToJson(), compiled.ContentHash, "test", null));
    }

    private static async Task TickUntil(FakeTimeProvider time, Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            time.Advance(RulesWatcher.Interval);
            await Task.Delay(10);
        }
        Assert.That(condition(), Is.True, "the watcher did not pick up the change");
    }
}
