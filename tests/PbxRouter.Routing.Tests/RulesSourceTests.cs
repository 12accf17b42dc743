namespace PbxRouter.Routing.Tests;

public class RulesSourceTests
{
    [Test]
    public void Load_Folder_ReadsEveryYamlSorted()
    {
        var files = RulesSource.Load(SampleRules.RulesFolder);
        Assert.That(files.Select(f => Path.GetFileName(f.Path)), Is.EqualTo(new[] { "tilleuls.yaml", "val.yaml" }));
    }

    [Test]
    public void Load_OneFile_ReadsIt()
    {
        var files = RulesSource.Load(Path.Combine(SampleRules.RulesFolder, "val.yaml"));
        Assert.That(files.Single().Text, Does.Contain("Maison de santé du Val"));
    }

    [Test]
    public void Load_MissingPath_Throws() =>
        Assert.Throws<FileNotFoundException>(() => RulesSource.Load(Path.Combine(SampleRules.RulesFolder, "nope")));
}
