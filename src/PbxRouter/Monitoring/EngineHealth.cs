using System.Text.Encodings.Web;
using System.Text.Json;
using PbxRouter.Ari;
using PbxRouter.Store;

namespace PbxRouter.Monitoring;

/// <summary>One check of /health: its name, whether it passed, and what it saw.</summary>
public sealed record HealthCheck(string Name, bool Healthy, string Detail);

/// <summary>Every check of /health; healthy when all are.</summary>
public sealed record HealthReport(IReadOnlyList<HealthCheck> Checks)
{
    public bool Healthy => Checks.All(c => c.Healthy);

    public IEnumerable<string> Failed => Checks.Where(c => !c.Healthy).Select(c => c.Name);

    /// <summary>{"status": "healthy"|"unhealthy", "failed": [names], "checks": [{"name", "healthy", "detail"}]}.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        // Relaxed: served as application/json only, never into HTML; control characters and quotes are still escaped.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("status", Healthy ? "healthy" : "unhealthy");
            json.WriteStartArray("failed");
            foreach (var name in Failed) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("checks");
            foreach (var check in Checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteBoolean("healthy", check.Healthy);
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}

/// <summary>
/// The checks of /health (docs/metrics.md): ARI connected, database writable, rules loaded, free disk space on the volumes of
/// the database and of the voicemail folder. Each runs when asked; none changes anything.
/// </summary>
/// <param name="ari">The ARI event connection's state now.</param>
/// <param name="rulesVersion">The rules version in force (0: none loaded).</param>
/// <param name="volumes">Named folders whose volume must keep <paramref name="minFreeBytes"/> free.</param>
public sealed class EngineHealth(Func<AriHealth> ari, StoreDatabase db, Func<int> rulesVersion, IReadOnlyList<(string Name, string Folder)> volumes,
    long minFreeBytes)
{
    public const string Ari = "ari", Database = "database", Rules = "rules";

    public async Task<HealthReport> CheckAsync(CancellationToken ct)
    {
        var checks = new List<HealthCheck> { CheckAri(), await CheckDatabaseAsync(ct), CheckRules() };
        checks.AddRange(volumes.Select(v => CheckDisk(v.Name, v.Folder)));
        return new HealthReport(checks);
    }

    private HealthCheck CheckAri()
    {
        var health = ari();
        var since = $"since {health.Since:yyyy-MM-ddTHH:mm:ssZ}";
        return health.IsConnected
            ? new HealthCheck(Ari, true, $"connected {since}")
            : new HealthCheck(Ari, false, $"not connected: {health.State.ToString().ToLowerInvariant()} {since}"
                + (health.ReconnectAttempts > 0 ? $", {health.ReconnectAttempts} failed attempts" : "")
                + (health.LastError is { } error ? $": {error}" : ""));
    }

    private async Task<HealthCheck> CheckDatabaseAsync(CancellationToken ct)
    {
        try
        {
            await db.CheckWritableAsync(ct);
            return new HealthCheck(Database, true, $"{db.Path} writable");
        }
        catch (StoreException e)
        {
            return new HealthCheck(Database, false, e.Message);
        }
    }

    private HealthCheck CheckRules()
    {
        var version = rulesVersion();
        return version > 0
            ? new HealthCheck(Rules, true, $"version {version} in force")
            : new HealthCheck(Rules, false, "no rules loaded: calls take the fallback route until `pbxrouter rules apply`");
    }

    private HealthCheck CheckDisk(string name, string folder)
    {
        try
        {
            // The folder may not exist yet (no message so far): its nearest existing parent is on the same volume.
            var existing = Path.GetFullPath(folder);
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
            var free = new DriveInfo(existing).AvailableFreeSpace;
            var detail = $"{Megabytes(free)} MB free for {folder} (at least {Megabytes(minFreeBytes)} MB wanted)";
            return new HealthCheck(name, free >= minFreeBytes, detail);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new HealthCheck(name, false, $"free space of {folder} unknown: {e.Message}");
        }
    }

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);
}
