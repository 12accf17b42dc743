namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>Finds the checkout (the folder holding PbxRouter.sln) from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    public static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PbxRouter.sln"))) return dir.FullName;
        throw new InvalidOperationException($"PbxRouter.sln not found above {AppContext.BaseDirectory}");
    }
}
