using PbxRouter.Routing;
using PbxRouter.Store;

namespace PbxRouter.Benchmarks;

/// <summary>The remote-secretariat platform of the samples: N practices, one YAML file each.</summary>
public static class Platform
{
    public static CompiledRules Compile(int practices)
    {
        var result = RulesCompiler.Compile(SamplePlatform.Generate(practices));
        return result.Rules ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
    }

    /// <summary>What `pbxrouter rules apply` does: validate, compile, store a new version in one transaction.</summary>
    public static async Task<int> ValidateAndApplyAsync(IReadOnlyList<RulesFile> files, string databasePath)
    {
        var result = RulesCompiler.Compile(files);
        var rules = result.Rules ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
        var db = new StoreDatabase(databasePath, TimeProvider.System);
        await db.MigrateAsync();
        var version = await new RulesRepository(db, TimeProvider.System).ApplyAsync(new RulesApplication(
            files.Select(f => new RulesSourceFile(f.Path, f.Text)).ToList(), rules.ToJson(), rules.ContentHash, "bench", null));
        return version.Number;
    }
}
