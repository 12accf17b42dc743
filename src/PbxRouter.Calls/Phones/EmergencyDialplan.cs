using System.Text;
using PbxRouter.Calls.Fallback;
using PbxRouter.Calls.Provisioning;
using PbxRouter.Routing;
using PbxRouter.Routing.Model;

namespace PbxRouter.Calls.Phones;

/// <summary>
/// The emergency route of each practice's phones as dialplan (appended to extensions_generated.conf): extensions.conf's
/// [from-phones-called] sends the emergency numbers (15, 17, 18, 112, 114, 115, 116 117, 119, 191, 196, 197) to
/// [phones-emergency-out] before Stasis, which goes on in <c>phones-emergency-PRACTICE</c> (the phone's endpoint sets
/// PBX_PRACTICE): Dial() through the practice's trunk presenting the practice's number, or the number of the phone's
/// line. Asterisk runs it alone: an engine that is down, a PIN, a mode or an outgoing policy never stands in the way.
/// Ids, numbers and trunk names are checked again before they are written; the practice's name is written base64-encoded
/// when it is not plain.
/// </summary>
public static class EmergencyDialplan
{
    public const string ContextPrefix = "phones-emergency-";

    public static (string Text, IReadOnlyList<string> Problems) Generate(RulesModel model, string defaultTrunk)
    {
        var text = new StringBuilder("\n; Emergency numbers dialled from each practice's phones (reached from [phones-emergency-out], before Stasis).\n");
        var problems = new List<string>();
        foreach (var practice in model.Practices)
        {
            var id = practice.Id.Value;
            var trunk = practice.Trunk is { } t ? PjsipConfig.TrunkEndpoint(t.Value) : defaultTrunk;
            var number = PhoneDialDecision.CallerIdOf(practice, new Phone { Id = new("", practice.At), PasswordEnv = "", At = practice.At });
            if (!FallbackDialplan.IsId(id) || !FallbackDialplan.IsEndpoint(trunk) || !FallbackDialplan.IsE164(number))
            {
                problems.Add($"practice {id}: its id, trunk '{trunk}' or number '{number}' cannot be written safely; no emergency route generated (the default trunk is used)");
                continue;
            }
            text.Append($"\n[{ContextPrefix}{id}]\n; practice {id}: through {trunk}, presenting {number} (or the phone's line's number)\n");
            text.Append($"exten => _X.,1,Set(CALLERID(num)={number})\n");
            foreach (var phone in practice.Phones.Where(p => p.Line is not null))
            {
                var own = PhoneDialDecision.CallerIdOf(practice, phone);
                if (own != number && FallbackDialplan.IsId(phone.Id.Value) && FallbackDialplan.IsE164(own))
                    text.Append($" same => n,Set(CALLERID(num)=${{IF($[\"${{PBX_PHONE}}\" = \"{phone.Id.Value}\"]?{own}:${{CALLERID(num)}})}})\n");
            }
            text.Append($" same => n,Set(CALLERID(name)={FallbackDialplan.Literal(practice.Name)})\n");
            text.Append(" same => n,Set(CALLERID(pres)=allowed_not_screened)\n");
            text.Append($" same => n,Dial(PJSIP/${{EXTEN}}@{trunk})\n");
            if (trunk != defaultTrunk)
            {
                // The practice's trunk cannot be used (not provisioned: its password is missing; or failing): the default trunk.
                text.Append(" same => n,GotoIf($[\"${DIALSTATUS}\" = \"CHANUNAVAIL\" | \"${DIALSTATUS}\" = \"CONGESTION\"]?other)\n same => n,Hangup()\n");
                text.Append($" same => n(other),Log(WARNING,PbxRouter: emergency call to ${{EXTEN}}: {trunk} unavailable, through {defaultTrunk})\n");
                text.Append($" same => n,Dial(PJSIP/${{EXTEN}}@{defaultTrunk})\n");
            }
            text.Append(" same => n,Hangup()\n");
        }
        return (text.ToString(), problems);
    }
}
