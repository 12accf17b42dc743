using PbxRouter.Store;

namespace PbxRouter.Calls.Tests.Support;

/// <summary>A real, migrated SQLite store in a temporary folder, with its call record writer; the folder goes on dispose.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    public TempStore()
    {
        Directory.CreateDirectory(Folder);
        Db = new StoreDatabase(Path.Combine(Folder, "pbxrouter.db"), TimeProvider.System);
        Db.MigrateAsync().GetAwaiter().GetResult();
        Records = new CallRecordWriter(Db, TimeProvider.System);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "pbxrouter-test-" + Guid.NewGuid().ToString("N"));
    public StoreDatabase Db { get; }
    public CallRecordWriter Records { get; }

    /// <summary>The call's record, once every write queued before is stored; null when there is none.</summary>
    public async Task<CallRecord?> RecordAsync(string callId)
    {
        await Records.FlushAsync();
        return await new CallRecordRepository(Db, TimeProvider.System).GetAsync(callId);
    }

    public async ValueTask DisposeAsync()
    {
        await Records.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Still open elsewhere: the temporary folder stays.
        }
    }
}
