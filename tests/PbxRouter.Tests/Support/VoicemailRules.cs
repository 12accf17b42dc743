namespace PbxRouter.Tests.Support;

/// <summary>One practice with two voicemail boxes: `cabinet` keeps its messages 7 days, `urgences` (urgent) the default 30.</summary>
internal static class VoicemailRules
{
    public const string Yaml = """
        secretariats:
          - { id: sec, number: "05 67 00 00 00" }
        practices:
          - id: tilleuls
            name: Tilleuls
            numbers: ["01 45 00 00 00"]
            hours: { weekdays: ["08:00-19:00"] }
            messages:
              closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117."
            overflow: { to: [sec] }
            voicemail_boxes:
              - { id: cabinet, keep_days: 7 }
              - { id: urgences, urgent: true }
            routes:
              open: [overflow, { voicemail: cabinet }]
              closed: [{ announce: closed }, { voicemail: cabinet }]
        """;
}
