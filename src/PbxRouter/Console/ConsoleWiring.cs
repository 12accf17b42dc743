using Microsoft.Extensions.DependencyInjection;
using PbxRouter.Backup;
using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;
using PbxRouter.Hosting;
using PbxRouter.Store;

namespace PbxRouter.WebConsole;

/// <summary>The console from the engine's container: null when no account is configured (Console:Users).</summary>
public static class ConsoleWiring
{
    public static ConsoleSite? Site(IServiceProvider sp, EngineSettings settings)
    {
        var options = settings.Web.Console;
        if (!options.Enabled) return null;
        var time = sp.GetRequiredService<TimeProvider>();
        var database = sp.GetRequiredService<StoreDatabase>();
        var keys = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.DatabasePath)) ?? ".", "console-keys");
        // Cookie keys: a secret, owner only (0700); never copied by `pbxrouter backup` (docs/console.md).
        if (!Directory.Exists(keys)) FileModes.CreatePrivateFolder(keys);
        return new ConsoleSite(new ConsoleServices(options, new LoginThrottle(options, time), new ConsoleAuditRepository(database, time),
            sp.GetRequiredService<ActiveRules>(), sp.GetRequiredService<RuntimeModes>(), sp.GetRequiredService<CallJournal>(),
            sp.GetRequiredService<QueueBoard>(), sp.GetRequiredService<VoicemailRepository>(), sp.GetRequiredService<VoicemailFiles>(),
            sp.GetRequiredService<CallRecordRepository>(), sp.GetRequiredService<RulesRepository>(), time, keys));
    }
}
