using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Flows.Reception;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Rules;
using PbxRouter.Store;

namespace PbxRouter.WebConsole;

/// <summary>What the console reads and changes in the engine: the same objects the calls use.</summary>
public sealed record ConsoleServices(
    ConsoleOptions Options,
    LoginThrottle Throttle,
    ConsoleAuditRepository Audit,
    ActiveRules Rules,
    RuntimeModes Modes,
    CallJournal Journal,
    QueueBoard Queues,
    VoicemailRepository Voicemail,
    VoicemailFiles VoicemailFiles,
    CallRecordRepository Records,
    RulesRepository RulesStore,
    TimeProvider Time,
    string KeysFolder);
