namespace PbxRouter.IntegrationTests.Infrastructure;

/// <summary>
/// A phone's SIP credentials for SIPp as an injection file (-inf, mode 600) read by the scenarios'
/// [authentication username=[field0] password=[field1]]: passwords never appear on a command line (ps).
/// </summary>
public static class SippCredentials
{
    /// <summary>The SIPp arguments that give <paramref name="user"/> and <paramref name="password"/> to the scenario.</summary>
    public static string[] Args(string user, string password)
    {
        if (password.IndexOfAny([';', '\n', '\r']) >= 0) throw new ArgumentException("a SIPp injection field cannot hold ';' or a line break", nameof(password));
        var dir = Path.Combine(Path.GetTempPath(), "pbxrouter-sipp", "credentials");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{Guid.NewGuid():N}.csv");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options)) writer.Write($"SEQUENTIAL\n{user};{password};\n");
        return ["-inf", path];
    }
}
