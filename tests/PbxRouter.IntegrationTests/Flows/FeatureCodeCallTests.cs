using PbxRouter.Calls.Engine;
using PbxRouter.Calls.Provisioning;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Flows;

/// <summary>
/// Feature codes proven over SIP, each followed by a real patient call: SIPp phones dial the code through a real Asterisk
/// (digest authentication with their passwords), then a SIPp patient calls the practice through the trunk and reaches where
/// the code said: the reception phone, the remote secretariat, Dr Martin's mobile or a forwarded number (the SIPp carrier),
/// the closed message and the voicemail. Rules: Rules/tilleuls-features-test.yaml (Dr Martin without a PIN, the reception
/// phones with PBXTEST_DOCTORS_PIN; outgoing: national and mobiles only).
/// </summary>
[TestFixture]
public sealed class FeatureCodeCallTests : PracticeFixture
{
    private const string DoctorsPin = "2468";
    private const string Mobile = "+33612345678";

    private static readonly Dictionary<string, string> Addresses = new()
    {
        ["accueil-1"] = "127.0.0.4", ["accueil-2"] = "127.0.0.5", ["dr-martin"] = "127.0.0.6",
    };

    private readonly HashSet<string> _seenPhoneCalls = [];

    private string Rules() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "tilleuls-features-test.yaml")).Replace("@@TRUNK_PORT@@", Asterisk.TrunkPort.ToString());

    private async Task<PracticeCalls> StartAsync()
    {
        Environment.SetEnvironmentVariable("PBXTEST_DOCTORS_PIN", DoctorsPin);
        _seenPhoneCalls.Clear();
        return await PracticeCalls.StartAsync(Asterisk, Open, rules: Rules());
    }

    /// <summary>The phone dials <paramref name="code"/> with its own SIP password (a '#' goes as %23, as phones send it).</summary>
    private SippRun Dial(string phone, string code, string scenario = "phone-feature-code.xml")
    {
        var endpoint = PjsipConfig.PhoneEndpoint("tilleuls", phone);
        var address = Addresses[phone];
        return SippRun.Start($"dial-{phone}", scenario,
        [
            "-s", code.Replace("#", "%23"), "-key", "phone", endpoint, "-au", endpoint, "-ap", $"pw-{phone}-{Environment.ProcessId}",
            "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{Asterisk.SipPort}",
        ], countsAsCall: true);
    }

    /// <summary>The phone dials <paramref name="code"/>, is asked the PIN and keys <paramref name="pin"/> then #.</summary>
    private SippRun DialWithPin(string phone, string code, string pin, bool hangsUpAfter = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pbxrouter-pin", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var pcap = Path.Combine(dir, "pin.pcap");
        Rfc4733Pcap.WriteKeys(pcap, pin + "#", TimeSpan.FromMilliseconds(250));
        var name = hangsUpAfter ? "phone-feature-code-pin-hangs-up.xml" : "phone-feature-code-pin.xml";
        var scenario = Path.Combine(dir, name);
        File.WriteAllText(scenario, File.ReadAllText(RepoPaths.Scenario(name)).Replace("@@PCAP@@", pcap));
        return Dial(phone, code, scenario);
    }

    /// <summary>The phone's call as the engine saw it (the next one not looked at yet).</summary>
    private async Task<CallTrace> PhoneCallAsync(PracticeCalls practice)
    {
        var trace = await practice.Engine.WaitForCallAsync(c => c.Steps.Contains("entered (phone)") && !_seenPhoneCalls.Contains(c.CallId));
        _seenPhoneCalls.Add(trace.CallId);
        return trace;
    }

    private static async Task<SippResult> SucceedsAsync(SippRun run)
    {
        var result = await run.WaitAsync();
        Assert.That(result.Succeeded, result.ToString());
        return result;
    }

    private static async Task<PracticeMode?> ModeAsync(PracticeCalls practice) =>
        (await new RuntimeStateRepository(practice.Engine.Database, TimeProvider.System).GetModesAsync()).GetValueOrDefault("tilleuls");

    /// <summary>A patient calls the practice; the carrier (SIPp on the trunk) answers what the engine dials out. Returns the INVITE it got.</summary>
    private async Task<(string Invite, CallRecord Record)> PatientReachesTheCarrierAsync(PracticeCalls practice, string caller)
    {
        var carrier = Sipp.Secretariat(Asterisk);
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, caller, holdMs: 1500);
        var invite = await Sipp.InviteAtSecretariatAsync(patient, carrier);
        return (invite, await practice.RecordOfAsync(caller));
    }

    /// <summary>A patient calls the practice and accueil-1 (registered, answering) takes the call.</summary>
    private async Task<CallRecord> PatientReachesTheReceptionAsync(PracticeCalls practice, string caller)
    {
        var phone = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var patient = Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, caller, holdMs: 1500);
        await Sipp.AllSucceedAsync(patient, phone);
        return await practice.RecordOfAsync(caller);
    }

    [Test]
    public async Task Star21_FromDrMartinsDeskPhone_TheNextPatientReachesTheRemoteSecretariat()
    {
        await using var practice = await StartAsync();

        await SucceedsAsync(Dial("dr-martin", "*21"));
        var code = await PhoneCallAsync(practice);
        var (invite, record) = await PatientReachesTheCarrierAsync(practice, "+33650000001");

        Assert.Multiple(() =>
        {
            Assert.That(code.Media, Does.Not.Contain("sound:pbxrouter/code-entrez"), "no PIN from Dr Martin's phone");
            Assert.That(code.Media, Does.Contain("sound:pbxrouter/renvoi-active"));
            Assert.That(invite, Does.StartWith($"INVITE sip:{SecretariatNumber}@"));
            Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000000"), "practice's number in Diversion");
            Assert.That(record.Steps.First().Detail, Does.StartWith("Mode: mode all-to-secretariat"), Describe(record));
            Assert.That(record.Steps.Select(s => s.Kind), Does.Not.Contain(CallStepKinds.Queued), Describe(record));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
        });
    }

    [Test]
    public async Task Hash21_AfterStar21_TheNextPatientReachesTheReceptionPhoneAgain()
    {
        await using var practice = await StartAsync();
        await SucceedsAsync(Dial("dr-martin", "*21"));
        Assert.That((await ModeAsync(practice))?.Mode, Is.EqualTo("all-to-secretariat"));

        await SucceedsAsync(Dial("dr-martin", "#21"));
        var record = await PatientReachesTheReceptionAsync(practice, "+33650000002");
        var mode = await ModeAsync(practice);

        Assert.Multiple(() =>
        {
            Assert.That(mode?.Mode, Is.Null);
            Assert.That(record.Steps.First().Detail, Does.StartWith("Open:"), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
        });
    }

    [Test]
    public async Task Star22_FromDrMartin_TheNextPatientReachesHisMobileThroughTheCarrierWithDiversion()
    {
        await using var practice = await StartAsync();

        await SucceedsAsync(Dial("dr-martin", "*22"));
        var (invite, record) = await PatientReachesTheCarrierAsync(practice, "+33650000003");

        Assert.Multiple(() =>
        {
            Assert.That(invite, Does.StartWith($"INVITE sip:{Mobile}@"), "Dr Martin's mobile, E.164, through the practice's trunk");
            Assert.That(invite, Does.Match(@"(?m)^From:.*sip:\+33650000003@"), "the patient's number kept");
            Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000000"), "the practice's number in Diversion");
            Assert.That(record.Steps.First().Detail, Does.StartWith("Mode: mode forward-to-mobile"), Describe(record));
        });
    }

    [Test]
    public async Task Star28_TheNextPatientHearsClosedAndLeavesAMessage_AndStar28AgainSwitchesItOff()
    {
        await using var practice = await StartAsync();

        await SucceedsAsync(Dial("dr-martin", "*28"));
        var code = await PhoneCallAsync(practice);
        var patient = await Sipp.Patient(Asterisk, "patient-hangs-up.xml", PracticeNumber, "+33650000004", holdMs: 12000).WaitAsync();
        var record = await practice.RecordOfAsync("+33650000004");
        await SucceedsAsync(Dial("dr-martin", "*28"));
        var off = await PhoneCallAsync(practice);
        var mode = await ModeAsync(practice);

        Assert.Multiple(() =>
        {
            Assert.That(code.Media, Does.Contain("sound:pbxrouter/mode-active"));
            Assert.That(patient.Succeeded, patient.ToString());
            Assert.That(record.Steps.First().Detail, Does.StartWith("Mode: mode closed"), Describe(record));
            Assert.That(record.Steps.Any(s => s.Kind == CallStepKinds.Announced && s.Target == "closed"), Describe(record));
            Assert.That(record.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Voicemail).And.Not.Contain(CallStepKinds.Queued), Describe(record));
            Assert.That(off.Media, Does.Contain("sound:pbxrouter/mode-desactive"));
            Assert.That(mode?.Mode, Is.Null, "*28 again: back to the schedule");
        });
    }

    [Test]
    public async Task Star21NumberHash_TheNextPatientReachesThatNumberThroughTheCarrier_StarHash21HashSaysIt_Hash21HashCancels()
    {
        await using var practice = await StartAsync();

        await SucceedsAsync(Dial("dr-martin", "*21*0612345678#"));
        var set = await PhoneCallAsync(practice);
        var stored = await ModeAsync(practice);
        var (invite, record) = await PatientReachesTheCarrierAsync(practice, "+33650000005");
        await SucceedsAsync(Dial("dr-martin", "*#21#"));
        var status = await PhoneCallAsync(practice);
        await SucceedsAsync(Dial("dr-martin", "#21#"));
        var cancel = await PhoneCallAsync(practice);
        var after = await ModeAsync(practice);
        var history = await new RuntimeStateRepository(practice.Engine.Database, TimeProvider.System).HistoryAsync("tilleuls");

        Assert.Multiple(() =>
        {
            Assert.That(set.Media, Does.Contain("sound:pbxrouter/renvoi-vers").And.Contain("digits:0612345678"), "the number read back after 'renvoyés vers le'");
            Assert.That((stored?.ForwardTo, stored?.SetBy, stored?.Via), Is.EqualTo((Mobile, "dr-martin", "feature-code *21*NUMBER#")));
            Assert.That(invite, Does.StartWith($"INVITE sip:{Mobile}@"), "the forwarded number, E.164, through the practice's trunk");
            Assert.That(invite, Does.Match(@"(?m)^From:.*sip:\+33650000005@"), "the patient's number kept");
            Assert.That(invite, Does.Match(@"(?m)^Diversion:.*\+33145000000"), "the practice's number in Diversion");
            Assert.That(record.Steps.First().Detail, Does.StartWith("Forwarded: forwarded to 06 12 34 56 78 by dr-martin"), Describe(record));
            Assert.That(status.Media, Does.Contain("sound:pbxrouter/renvoi-vers").And.Contain("digits:0612345678"), "*#21# says where calls go");
            Assert.That(cancel.Media, Does.Contain("sound:pbxrouter/renvoi-desactive"));
            Assert.That(after?.ForwardTo, Is.Null, "#21# cancels the forward");
            Assert.That(history.Select(h => h.ForwardTo), Is.EqualTo(new string?[] { null, Mobile }), "set and cancel audited, *#21# not");
        });
    }

    [TestCase("*21*0899123456#", "sound:pbxrouter/renvoi-refuse")]
    [TestCase("*21*00442079460000#", "sound:pbxrouter/renvoi-refuse")]
    public async Task Star21NumberHash_ToAPremiumOrInternationalNumber_IsRefusedWithAMessageAndNothingChanges(string code, string heard)
    {
        await using var practice = await StartAsync();

        var refused = await SucceedsAsync(Dial("dr-martin", code, "phone-call-refused.xml"));
        var trace = await PhoneCallAsync(practice);
        var mode = await ModeAsync(practice);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Messages, Does.Contain("SIP/2.0 183").And.Match(@"SIP/2\.0 (403|603) "), "the message as early media, then declined");
            Assert.That(refused.Messages, Does.Not.Contain("SIP/2.0 200 OK"), "never answered");
            Assert.That(trace.Media, Does.Contain(heard));
            Assert.That(mode, Is.Null, "nothing stored");
        });
    }

    [Test]
    public async Task Star21_FromAReceptionPhone_AsksThePin_AndTheRightPinSwitchesTheMode()
    {
        await using var practice = await StartAsync();

        await SucceedsAsync(DialWithPin("accueil-1", "*21", DoctorsPin));
        var code = await PhoneCallAsync(practice);
        var mode = await ModeAsync(practice);

        Assert.Multiple(() =>
        {
            Assert.That(code.Media, Does.Contain("sound:pbxrouter/code-entrez"), "asked the PIN: accueil-1 is not in without_pin");
            Assert.That(code.Media, Does.Contain("sound:pbxrouter/renvoi-active"));
            Assert.That((mode?.Mode, mode?.SetBy), Is.EqualTo(("all-to-secretariat", "accueil-1")));
        });
    }

    [Test]
    public async Task WrongPinInThreeCalls_LocksTheCodes_TheFourthCallWithTheRightPinIsRefusedWithoutBeingAsked()
    {
        await using var practice = await StartAsync();

        await SucceedsAsync(DialWithPin("accueil-1", "*21", "1111", hangsUpAfter: true));
        await SucceedsAsync(DialWithPin("accueil-2", "*28", "2222", hangsUpAfter: true));
        await SucceedsAsync(DialWithPin("accueil-1", "*21", "3333"));   // the third wrong PIN: "verrouillé", and the PBX hangs up
        var third = (await PhoneCallAsync(practice), await PhoneCallAsync(practice), await PhoneCallAsync(practice)).Item3;
        var fourth = await SucceedsAsync(Dial("accueil-1", "*21", "phone-call-refused.xml"));
        var locked = await PhoneCallAsync(practice);
        var pins = new PinAttemptRepository(practice.Engine.Database, TimeProvider.System);
        var attempts = await pins.HistoryAsync(PinAttemptRepository.FeatureCodesScope("tilleuls"));
        var mode = await ModeAsync(practice);

        Assert.Multiple(() =>
        {
            Assert.That(third.Media, Does.Contain("sound:pbxrouter/code-incorrect"), "the third wrong PIN");
            Assert.That(fourth.Messages, Does.Contain("SIP/2.0 183").And.Match(@"SIP/2\.0 (403|603) ").And.Not.Contain("SIP/2.0 200 OK"), "refused, never answered");
            Assert.That(locked.Media, Does.Contain("sound:pbxrouter/code-verrouille"), "told it is locked");
            Assert.That(locked.Media, Does.Not.Contain("sound:pbxrouter/code-entrez"), "no PIN asked while locked");
            Assert.That(attempts.Select(a => a.Accepted), Is.EqualTo(new[] { false, false, false }), "three wrong PINs audited");
            Assert.That(mode, Is.Null, "nothing changed");
        });
    }
}
