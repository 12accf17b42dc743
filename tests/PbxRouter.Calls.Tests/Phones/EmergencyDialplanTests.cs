using PbxRouter.Calls.Phones;
using PbxRouter.Routing;

namespace PbxRouter.Calls.Tests.Phones;

[TestFixture]
public sealed class EmergencyDialplanTests
{
    private const string Rules = """
        trunks:
          - { id: ovh, host: sip.example.net, ip_addresses: ["192.0.2.10"] }
        practices:
          - id: tilleuls
            name: Cabinet médical des Tilleuls
            numbers: ["01 45 00 00 00"]
            trunk: ovh
            phones:
              - { id: accueil-1, extension: "101", password_env: P_A }
              - { id: dr-leroy, extension: "201", password_env: P_L, line: leroy }
            hours: { every_day: ["08:00-20:00"] }
            messages: { closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117." }
            voicemail_boxes: [{ id: box }]
            routes: { open: [{ announce: closed }, { voicemail: box }], closed: [{ announce: closed }, { voicemail: box }] }
            lines:
              - { id: leroy, numbers: ["01 45 00 00 11"] }
          - id: val
            name: Val
            numbers: ["04 72 00 00 00"]
            phones: [{ id: accueil, password_env: P_V }]
            hours: { every_day: ["08:00-20:00"] }
            messages: { closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117." }
            voicemail_boxes: [{ id: box }]
            routes: { open: [{ announce: closed }, { voicemail: box }], closed: [{ announce: closed }, { voicemail: box }] }
        """;

    [Test]
    public void Generate_EachPractice_DialsThroughItsTrunk_PresentingItsNumber_OrThePhonesLine()
    {
        var compiled = RulesCompiler.Compile("p.yaml", Rules);
        Assert.That(compiled.Errors, Is.Empty, string.Join("\n", compiled.Errors));
        var (text, problems) = EmergencyDialplan.Generate(compiled.Rules!.Model, "trunk");

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(text, Does.Contain("\n[phones-emergency-tilleuls]\n"));
            Assert.That(text, Does.Contain("exten => _X.,1,Set(CALLERID(num)=+33145000000)\n"
                + " same => n,Set(CALLERID(num)=${IF($[\"${PBX_PHONE}\" = \"dr-leroy\"]?+33145000011:${CALLERID(num)})})\n"
                + " same => n,Set(CALLERID(name)=${BASE64_DECODE("));
            Assert.That(text, Does.Contain(" same => n,Set(CALLERID(pres)=allowed_not_screened)\n same => n,Dial(PJSIP/${EXTEN}@trunk.ovh)\n"
                + " same => n,GotoIf($[\"${DIALSTATUS}\" = \"CHANUNAVAIL\" | \"${DIALSTATUS}\" = \"CONGESTION\"]?other)\n same => n,Hangup()\n"
                + " same => n(other),Log(WARNING,PbxRouter: emergency call to ${EXTEN}: trunk.ovh unavailable, through trunk)\n"
                + " same => n,Dial(PJSIP/${EXTEN}@trunk)\n same => n,Hangup()\n"), "the default trunk when the practice's cannot be used");
            Assert.That(text, Does.Contain("\n[phones-emergency-val]\n").And.Contain("exten => _X.,1,Set(CALLERID(num)=+33472000000)\n"));
            Assert.That(text, Does.Contain(" same => n,Set(CALLERID(name)=Val)\n"), "a plain name as it is");
            Assert.That(text, Does.Contain("Dial(PJSIP/${EXTEN}@trunk)\n"), "a practice without a trunk: the default trunk");
        });
    }
}
