using Microsoft.Extensions.Logging.Abstractions;
using PbxRouter.Calls.Flows;
using PbxRouter.Calls.Flows.Voicemail;
using PbxRouter.Calls.Notifications;
using PbxRouter.Calls.Tests.Support;
using PbxRouter.Routing;
using PbxRouter.Store;
using static PbxRouter.Calls.Tests.Support.Events;

namespace PbxRouter.Calls.Tests.Flows.Voicemail;

public sealed class VoicemailExecutorTests
{
    private static readonly Routing.Voicemail UrgentBox = new("tilleuls-urgent", true,
        [new Notification(NotificationKind.Webhook, "https://alerts.example.fr/urgent")], "test");

    private static (VoicemailExecutor, VoicemailRepository, CapturingSender) Executor(TestCall t)
    {
        var repository = new VoicemailRepository(t.Db, TimeProvider.System);
        var sender = new CapturingSender();
        var (notifier, _) = TestNotifier.Create(t.Db, senders: sender);
        return (new VoicemailExecutor(new VoicemailIndex(new VoicemailImportRepository(t.Db, TimeProvider.System), notifier), new VoicemailOptions()),
            repository, sender);
    }

    /// <summary>The recording lasts <paramref name="seconds"/>, then Asterisk reports it finished.</summary>
    private static void RecordingLasts(TestCall t, int seconds, bool callerHangsUp = false) =>
        t.Fake.On(@"^POST channels/patient-1/record\?", line =>
        {
            if (callerHangsUp) t.Call.Deliver(Hangup(TestCall.PatientId));
            t.Call.Deliver(RecordingFinished(TestCall.PatientId, Param(line, "name"), seconds));
        });

    [Test]
    public async Task Run_UrgentMessage_IsStoredWithTheCallerAndNotifiedAtOnce()
    {
        await using var t = TestCall.With(UrgentBox).PlaybacksFinishAtOnce();
        RecordingLasts(t, 7);
        var (executor, repository, sender) = Executor(t);

        var result = await executor.RunAsync(t.Call, UrgentBox, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new StepOutcome.Done(CallOutcomes.Voicemail)));
        var message = (await repository.ListAsync("tilleuls-urgent", includeListened: true)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(message.Urgent, Is.True);
            Assert.That(message.CallerNumber, Is.EqualTo(TestCall.PatientNumber));
            Assert.That(message.PracticeId, Is.EqualTo("tilleuls"));
            Assert.That(message.DurationSeconds, Is.EqualTo(7));
            Assert.That(message.CallId, Is.EqualTo(TestCall.PatientId));
            Assert.That(sender.Sent.Single().Notice.MessageId, Is.EqualTo(message.Id), "notified before the step returned");
            Assert.That(sender.Sent.Single().Target.Target, Is.EqualTo("https://alerts.example.fr/urgent"));
            Assert.That(t.Fake.Matching(@"^POST channels/patient-1/play/.*media=sound:pbxrouter/messagerie-urgente"), Is.Not.Empty);
            Assert.That(t.Fake.Matching(@"^DELETE channels/patient-1\?"), Is.Not.Empty, "hung up after the thanks");
        });
    }

    [Test]
    public async Task Run_WhenTheDatabaseIsLockedByAnotherWriter_TheCallerStillLeavesTheMessageAndTheBoxIsNotified()
    {
        await using var t = TestCall.With(UrgentBox).PlaybacksFinishAtOnce();
        RecordingLasts(t, 7);
        var (executor, repository, sender) = Executor(t);
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={t.Db.Path};Pooling=False");
        await other.OpenAsync();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var result = await executor.RunAsync(t.Call, UrgentBox, CancellationToken.None);
        await other.CloseAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new StepOutcome.Done(CallOutcomes.Voicemail)));
            Assert.That(sender.Sent, Has.Count.EqualTo(1), "the urgent box is told anyway");
            Assert.That(t.Fake.Matching(@"^DELETE recordings/"), Is.Empty, "the audio is kept");
            Assert.That(t.Fake.Matching(@"^DELETE channels/patient-1\?"), Is.Not.Empty, "hung up after the thanks");
        });
        Assert.That(await repository.ListAsync("tilleuls-urgent", includeListened: true), Is.Empty, "the index write failed (locked)");
    }

    [Test]
    public async Task Run_Record_UsesAPreNamedWavWithBeepHashAndLimits()
    {
        await using var t = TestCall.With(UrgentBox).PlaybacksFinishAtOnce();
        RecordingLasts(t, 3);
        var (executor, repository, _) = Executor(t);

        await executor.RunAsync(t.Call, UrgentBox, CancellationToken.None);

        var record = t.Fake.Matching(@"^POST channels/patient-1/record\?").Single();
        var message = (await repository.ListAsync("tilleuls-urgent", includeListened: true)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(Param(record, "name"), Is.EqualTo(message.RecordingName).And.StartWith("vm~tilleuls~tilleuls-urgent~"));
            Assert.That(Param(record, "format"), Is.EqualTo("wav"));
            Assert.That(Param(record, "beep"), Is.EqualTo("true"));
            Assert.That(Param(record, "terminateOn"), Is.EqualTo("#"));
            Assert.That(Param(record, "ifExists"), Is.EqualTo("fail"));
            Assert.That(Param(record, "maxDurationSeconds"), Is.EqualTo("180"));
            Assert.That(Param(record, "maxSilenceSeconds"), Is.EqualTo("6"));
        });
    }

    [Test]
    public async Task Run_CallerHangsUpAtTheBeep_KeepsNoMessage()
    {
        await using var t = TestCall.With(UrgentBox).PlaybacksFinishAtOnce();
        RecordingLasts(t, 0, callerHangsUp: true);
        var (executor, repository, sender) = Executor(t);

        var result = await executor.RunAsync(t.Call, UrgentBox, CancellationToken.None);

        Assert.That(result, Is.InstanceOf<StepOutcome.CallerGone>());
        Assert.That(await repository.ListAsync("tilleuls-urgent", includeListened: true), Is.Empty);
        Assert.That(sender.Sent, Is.Empty);
        Assert.That(t.Fake.Matching(@"^DELETE recordings/stored/vm~"), Is.Not.Empty, "empty file removed");
    }

    [Test]
    public async Task Run_CallerHangsUpDuringTheMessage_StillKeepsIt()
    {
        await using var t = TestCall.With(UrgentBox).PlaybacksFinishAtOnce();
        RecordingLasts(t, 12, callerHangsUp: true);
        var (executor, repository, _) = Executor(t);

        var result = await executor.RunAsync(t.Call, UrgentBox, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new StepOutcome.Done(CallOutcomes.Voicemail)));
        Assert.That(await repository.ListAsync("tilleuls-urgent", includeListened: true), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Run_AfterTheClosedAnnouncement_PlaysNoSecondGreeting()
    {
        var box = new Routing.Voicemail("tilleuls", false, [], "test");
        await using var t = TestCall.With(new Announce("closed", "tilleuls-ferme", "fermé", "test"), box).PlaybacksFinishAtOnce();
        RecordingLasts(t, 4);
        var (executor, _, _) = Executor(t);

        await executor.RunAsync(t.Call, box, CancellationToken.None);

        Assert.That(t.Fake.Matching(@"media=sound:pbxrouter/messagerie-annonce"), Is.Empty);
    }

    [Test]
    public async Task Run_ChannelStillBridged_LeavesTheBridgeThenRecords()
    {
        await using var t = TestCall.With(UrgentBox).PlaybacksFinishAtOnce();
        RecordingLasts(t, 5);
        var (executor, repository, _) = Executor(t);
        // The first record is refused with 409 (the channel is bridged); the bridges lookup clears the refusal.
        var refused = false;
        t.Fake.Failures.Add((@"^POST channels/patient-1/record\?", 409));
        t.Fake.On(@"^GET bridges", _ =>
        {
            refused = true;
            t.Fake.Failures.Clear();
        });

        var result = await executor.RunAsync(t.Call, UrgentBox, CancellationToken.None);

        Assert.That(refused, Is.True, "bridges looked up after the 409");
        Assert.That(t.Fake.Matching(@"^POST channels/patient-1/record\?"), Has.Count.EqualTo(2));
        Assert.That(result, Is.EqualTo(new StepOutcome.Done(CallOutcomes.Voicemail)));
        Assert.That(await repository.ListAsync("tilleuls-urgent", includeListened: true), Has.Count.EqualTo(1));
    }
}
