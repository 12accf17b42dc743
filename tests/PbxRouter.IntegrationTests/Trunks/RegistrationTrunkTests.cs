using System.Text.RegularExpressions;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;
using static PbxRouter.IntegrationTests.Flows.PracticeCalls;

namespace PbxRouter.IntegrationTests.Trunks;

/// <summary>
/// A trunk that registers, against SIPp playing the carrier: its registrar challenges (401) and accepts the digest; its
/// calls come back to the registered contact (user = contact_user, the practice's number; line = Asterisk's random
/// parameter) and reach the practice; outgoing calls answer its 407. Only the line identifies the carrier: an INVITE to
/// the contact without it, or with a guessed one, from anywhere, is refused.
/// </summary>
[TestFixture]
public sealed class RegistrationTrunkTests : PracticeFixture
{
    /// <summary>The carrier's address: not the static IP trunk's (127.0.0.2), so that only the registration can let it in.</summary>
    private const string CarrierAddress = "127.0.0.3";
    private const string Account = "tilleuls75";      // the operator's account name: not a number
    private const string PasswordVariable = "PBXTEST_CARRIER_PASSWORD";
    private static readonly string Password = $"carrier-{Environment.ProcessId}";

    /// <summary>The test rules with the IP trunk replaced by a registration trunk at 127.0.0.3:<paramref name="port"/>, used by the practice and its secretariat.</summary>
    private string Rules(int port) => RulesText(Asterisk)
        .Replace("  - id: test-trunk\n    name: SIPp carrier\n", $"  - id: carrier\n    name: SIPp registrar\n")
        .Replace($"    host: \"127.0.0.2:{Asterisk.TrunkPort}\"\n    ip_addresses: [\"127.0.0.2\"]\n",
            $"    host: \"{CarrierAddress}:{port}\"\n    registration:\n      username: {Account}\n      password_env: {PasswordVariable}\n      contact_user: \"+33145000000\"\n      expiration: 1h\n")
        .Replace("trunk: test-trunk", "trunk: carrier");

    /// <summary>Starts the carrier's registrar, then the engine with the rules: returns the contact Asterisk registered.</summary>
    private async Task<(PracticeCalls Practice, string Contact, int Port)> RegisteredAsync(DateTimeOffset at)
    {
        Environment.SetEnvironmentVariable(PasswordVariable, Password);
        var port = FreePorts.Udp(CarrierAddress);
        var rules = Rules(port);
        Assert.That(rules, Does.Contain("registration:").And.Not.Contain("test-trunk"), rules);
        var registrar = Carrier("registrar", "carrier-registrar.xml", port);
        var practice = await PracticeCalls.StartAsync(Asterisk, at, rules: rules);
        var registered = await registrar.WaitAsync();
        Assert.That(registered.Succeeded, registered.ToString());
        var register = registered.Received("REGISTER");
        var contact = Regex.Match(register ?? "", @"(?m)^Contact:\s*<([^>]+)>").Groups[1].Value;
        Assert.That(contact, Does.StartWith("sip:+33145000000@").And.Contain(";line="), register);
        await WaitForRegisteredAsync();
        return (practice, contact, port);
    }

    private static SippRun Carrier(string role, string scenario, int port) =>
        SippRun.Start(role, scenario, ["-i", CarrierAddress, "-p", port.ToString(), "-key", "user", Account, "-key", "password", Password], countsAsCall: false);

    private async Task WaitForRegisteredAsync()
    {
        var output = "";
        for (var i = 0; i < 50; i++)
        {
            output = (await Asterisk.CliAsync("pjsip show registrations")).Output;
            if (Regex.IsMatch(output, @"trunk\.carrier/sip:127\.0\.0\.3:\d+\s+trunk\.carrier\s+Registered")) return;
            await Task.Delay(100);
        }
        Assert.Fail("the registration is not Registered:\n" + output);
    }

    /// <summary>The carrier's patient call to the registered contact (from the carrier's address, another port).</summary>
    private SippRun CallOnRegistration(string contact, string caller, int holdMs) =>
        SippRun.Start("carrier-patient", "carrier-calls-registration.xml",
        [
            "-s", "+33145000000", "-key", "contact", contact, "-key", "caller", caller, "-d", holdMs.ToString(),
            "-i", CarrierAddress, "-p", FreePorts.Udp(CarrierAddress).ToString(), $"127.0.0.1:{Asterisk.SipPort}",
        ], countsAsCall: true);

    private SippRun Stranger(string address, string target) =>
        SippRun.Start("stranger", "stranger-invite-to.xml",
            ["-s", "+33145000000", "-key", "target", target, "-key", "caller", "trunk.carrier", "-i", address, "-p", FreePorts.Udp(address).ToString(), $"127.0.0.1:{Asterisk.SipPort}"],
            countsAsCall: true);

    [Test]
    public async Task Registration_AnswersTheDigestChallenge_AndTheCarriersCallOnItReachesTheReceptionQueue()
    {
        var (practice, contact, _) = await RegisteredAsync(Open);
        await using var _ = practice;

        // Identification is by the line parameter only: without it, with a guessed one, or from the carrier's own address.
        var noLine = Regex.Replace(contact, ";line=[^;>]*", "");
        var guessed = Regex.Replace(contact, ";line=[^;>]*", ";line=abcdefg");
        foreach (var (address, target) in new[] { ("127.0.0.9", noLine), ("127.0.0.9", guessed), (CarrierAddress, noLine) })
        {
            var refused = await Stranger(address, target).WaitAsync();
            Assert.That(refused.Succeeded, $"INVITE {target} from {address}: {refused}");
            Assert.That(refused.Messages, Does.Not.Contain("SIP/2.0 200"), $"INVITE {target} from {address} was answered");
        }
        Assert.That(practice.Engine.Journal.Finished, Is.Empty, "no refused INVITE reached the engine");

        var phone = await practice.PhoneAsync("accueil-1", "phone-answers.xml");
        var other = await practice.PhoneAsync("accueil-2", "phone-rings.xml");
        var patient = CallOnRegistration(contact, "+33640000071", holdMs: 1500);
        var results = await Task.WhenAll(patient.WaitAsync(), phone.WaitAsync(), other.WaitAsync());

        Assert.That(results.Where(r => !r.Succeeded), Is.Empty, string.Join("\n", results.Where(r => !r.Succeeded)));
        var record = await practice.RecordOfAsync("+33640000071");
        Assert.Multiple(() =>
        {
            Assert.That(record.PracticeId, Is.EqualTo("tilleuls"), Describe(record));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Answered), Describe(record));
            Assert.That(record.AnsweredBy, Is.EqualTo("accueil-1"), Describe(record));
            Assert.That(record.Steps.Select(s => s.Kind), Does.Contain(CallStepKinds.Queued), Describe(record));
        });
    }

    [Test]
    public async Task OverflowThroughTheRegistrationTrunk_AnswersTheCarriers407()
    {
        var (practice, contact, port) = await RegisteredAsync(Lunch);
        await using var _ = practice;
        var carrier = Carrier("carrier-secretariat", "carrier-challenges-invite.xml", port);
        var patient = CallOnRegistration(contact, "+33640000072", holdMs: 2500);

        var results = await Sipp.AllSucceedAsync(patient, carrier);

        var invites = Regex.Matches(results[1].Messages, @"(?m)^INVITE sip:\+?33567000000@127\.0\.0\.3");
        Assert.That(invites, Has.Count.EqualTo(2), "the INVITE, then the INVITE with credentials:\n" + results[1].Messages);
        Assert.That(results[1].Messages, Does.Match($@"(?m)^Proxy-Authorization: Digest username=""{Account}"""));
        Assert.That(results[1].Messages, Does.Not.Contain(Password), "the password never travels");
        var record = await practice.RecordOfAsync("+33640000072");
        Assert.Multiple(() =>
        {
            Assert.That(record.PracticeId, Is.EqualTo("tilleuls"), Describe(record));
            Assert.That(record.Outcome, Is.EqualTo(CallOutcomes.Overflowed), Describe(record));
        });
    }
}
