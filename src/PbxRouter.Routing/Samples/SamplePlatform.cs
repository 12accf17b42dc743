using System.Globalization;
using System.Text;

namespace PbxRouter.Routing;

/// <summary>Generates the rules of a remote-secretariat platform: one YAML file per practice, all like the Tilleuls.</summary>
public static class SamplePlatform
{
    /// <summary>
    /// One file per practice (practice-0001.yaml...). The shared trunk and secretariat sit in the first file, to show that
    /// shared definitions may live in any file. Numbers are 01 47 xx yy 00, unique for up to 9,999 practices.
    /// </summary>
    public static IReadOnlyList<RulesFile> Generate(int practices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(practices, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(practices, 9_999);
        return Enumerable.Range(1, practices).Select(i => new RulesFile($"practice-{i:0000}.yaml", Practice(i))).ToList();
    }

    /// <summary>The called number of practice <paramref name="i"/> (1-based) in E.164.</summary>
    public static string NumberOf(int i) => $"+33147{i / 100:00}{i % 100:00}00";

    private static string Practice(int i)
    {
        var id = $"cabinet-{i:0000}";
        var y = new StringBuilder();
        y.AppendLine(CultureInfo.InvariantCulture, $"# Practice {i} of the platform (generated).");
        y.AppendLine("version: 1");
        if (i == 1)
            y.Append("""
                trunks:
                  - id: platform-trunk
                    host: sip.operator.example.net
                    ip_addresses: ["198.51.100.0/24"]
                secretariats:
                  - id: platform-secretariat
                    name: Platform secretariat
                    uri: sip:accueil@secretariat.example.net
                    diversion: true
                    history_info: true

                """);
        // vary the hours a little so the schedules are not all identical
        var open = (i % 3) switch { 0 => "08:00", 1 => "08:30", _ => "09:00" };
        var close = (i % 4) switch { 0 => "18:30", 1 => "19:00", 2 => "19:30", _ => "18:00" };
        var saturday = i % 2 == 0 ? "\n      saturday: [\"08:30-12:00\"]" : "";
        y.Append(CultureInfo.InvariantCulture, $$"""
            practices:
              - id: {{id}}
                name: Cabinet médical {{i}}
                numbers: ["{{NumberOf(i)}}"]
                trunk: platform-trunk
                phones:
                  - { id: accueil-1, extension: "101", password_env: {{Env(i, "ACCUEIL1")}} }
                  - { id: accueil-2, extension: "102", password_env: {{Env(i, "ACCUEIL2")}} }
                  - { id: dr-1, extension: "201", password_env: {{Env(i, "DR1")}}, mobile: "+336{{i:00000000}}" }
                hours:
                  weekdays: ["{{open}}-12:30", "14:00-{{close}}"]{{saturday}}
                after_hours:
                  weekdays: ["{{close}}-20:00"]
                holidays: { calendar: {{(i % 50 == 0 ? "alsace-moselle" : "france")}} }
                greeting: { sound: {{id}}-bonjour, text: "Cabinet médical {{i}}, bonjour." }
                messages:
                  closed:
                    text: "Le cabinet est fermé. En cas d'urgence vitale, appelez le 15. Pour le médecin de garde, appelez le 116 117."
                queue:
                  members: [accueil-1, accueil-2]
                  ring_time: 20s
                  max_wait: 45s
                  max_callers: 3
                  position_every: 30s
                overflow:
                  to: [platform-secretariat]
                  headers: { X-Practice: {{id}} }
                escalation:
                  key: "9"
                  contacts: [{ name: Dr {{i}}, number: "+336{{i:00000000}}", ring_time: 25s }]
                  voicemail: urgent
                voicemail_boxes:
                  - { id: cabinet, notify: [{ email: cabinet{{i}}@example.fr }] }
                  - { id: urgent, urgent: true, notify: [{ email: dr{{i}}@example.fr }] }
                routes:
                  open: [greeting, queue, overflow]
                  lunch: [greeting, overflow]
                  after_hours: [greeting, overflow]
                  closed: [{ announce: closed }, { voicemail: cabinet }]
                modes:
                  - { id: all-to-secretariat, steps: [greeting, overflow] }
                  - { id: closed, steps: [{ announce: closed }, { voicemail: cabinet }] }
                feature_codes:
                  pin_env: {{Env(i, "PIN")}}
                  without_pin: [dr-1]
                  codes:
                    - { code: "*21", activate: all-to-secretariat }
                    - { code: "#21", cancel: true }
                    - { code: "*28", toggle: closed }
                    - { code: "*97", voicemail: cabinet }

            """);
        return y.ToString();
    }

    private static string Env(int i, string what) => $"P{i:0000}_{what}";
}
