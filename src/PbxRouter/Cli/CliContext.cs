using System.CommandLine;
using System.Text.Json;
using PbxRouter.Hosting;
using PbxRouter.Store;

namespace PbxRouter.Cli;

/// <summary>Options shared by the verbs that read or write the database, and small output helpers.</summary>
public static class CliContext
{
    public static Option<string?> DatabaseOption() => new("--db")
    {
        Description = "SQLite database (default: Database:Path of the settings, PBXROUTER_Database__Path, or /var/lib/pbxrouter/pbxrouter.db)",
    };

    /// <summary>--config of `serve` and `watchdog`: both read the same settings.</summary>
    public static Option<FileInfo?> ConfigOption() => new("--config")
    {
        Description = "JSON settings file (default: /etc/pbxrouter/pbxrouter.json if present). Environment variables PBXROUTER_Section__Key override it.",
    };

    /// <summary>The settings (file + environment), or null after printing each problem as "pbxrouter VERB: problem".</summary>
    public static EngineSettings? LoadSettings(string verb, FileInfo? file)
    {
        var settings = EngineSettings.Load(file);
        foreach (var problem in settings.Problems) Console.Error.WriteLine($"pbxrouter {verb}: {problem}");
        return settings.Problems.Count > 0 ? null : settings;
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Machine-readable JSON on stdout" };

    /// <summary>The database path: the option, else the engine's settings (file + environment).</summary>
    public static string DatabasePath(string? option)
    {
        if (!string.IsNullOrEmpty(option)) return option;
        var settings = EngineSettings.Load(null);
        return settings.DatabasePath;
    }

    /// <summary>Opens and migrates the database, creating its folder when needed.</summary>
    public static async Task<StoreDatabase> OpenDatabaseAsync(string? option, CancellationToken ct)
    {
        var path = DatabasePath(option);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var db = new StoreDatabase(path, TimeProvider.System);
        await db.MigrateAsync(ct);
        return db;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void WriteJson(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public static int Fail(string verb, string message, int code = ExitCodes.InvalidInput)
    {
        Console.Error.WriteLine($"pbxrouter {verb}: {message}");
        return code;
    }
}
