namespace PbxRouter.Routing.Tests;

/// <summary>A small valid rules file (no error, no warning) that tests break one line at a time.</summary>
internal static class ValidRules
{
    public const string Yaml = """
        trunks:
          - id: t1
            host: sip.example.net
            registration: { username: user, password_env: T1_PASSWORD, contact_user: "+33145000000" }
        secretariats:
          - id: sec
            name: Secretariat
            number: "05 67 00 00 00"
        practices:
          - id: p1
            name: Practice one
            numbers: ["01 45 00 00 00"]
            trunk: t1
            phones:
              - { id: accueil-1, extension: "101", password_env: P1_ACCUEIL1 }
              - { id: accueil-2, extension: "102", password_env: P1_ACCUEIL2 }
              - { id: dr-a, extension: "201", password_env: P1_DRA, mobile: "06 12 34 56 78" }
            hours:
              weekdays: ["08:00-12:00", "14:00-19:00"]
            after_hours:
              weekdays: ["19:00-20:00"]
            messages:
              closed: "Fermé. Urgence vitale : appelez le 15. Médecin de garde : 116 117."
            greeting: { text: "Bonjour." }
            queue:
              members: [accueil-1, accueil-2]
              strategy: ringall
              ring_time: 20s
            overflow:
              to: [sec]
            escalation:
              key: "9"
              contacts:
                - { name: Dr A, number: "06 12 34 56 78" }
              voicemail: urgent
            voicemail_boxes:
              - { id: cabinet }
              - { id: urgent, urgent: true }
            routes:
              open: [greeting, queue, overflow]
              lunch: [greeting, overflow]
              after_hours: [greeting, overflow]
              closed: [{ announce: closed }, { voicemail: cabinet }]
            modes:
              - { id: closed, steps: [{ announce: closed }, { voicemail: cabinet }] }
            feature_codes:
              pin_env: P1_PIN
              without_pin: [dr-a]
              codes:
                - { code: "*28", toggle: closed }
                - { code: "*97", voicemail: cabinet }
        """;

    /// <summary>The valid file with <paramref name="from"/> (which must occur once) replaced.</summary>
    public static string With(string from, string to)
    {
        Assert.That(Yaml.Split(from), Has.Length.EqualTo(2), $"'{from}' must occur exactly once");
        return Yaml.Replace(from, to);
    }

    public static CompileResult CompileYaml(string yaml, string file = "p1.yaml") => RulesCompiler.Compile(file, yaml);

    /// <summary>The single error (or warning) with <paramref name="code"/>.</summary>
    public static RuleError Single(IReadOnlyList<RuleError> list, string code)
    {
        var matching = list.Where(e => e.Code == code).ToList();
        Assert.That(matching, Has.Count.EqualTo(1), $"expected one '{code}', got:\n{string.Join("\n", list)}");
        return matching[0];
    }

    public static RuleError Error(string yaml, string code)
    {
        var result = CompileYaml(yaml);
        Assert.That(result.Rules, Is.Null, "a file with errors must not compile");
        return Single(result.Errors, code);
    }

    public static RuleError Warning(string yaml, string code)
    {
        var result = CompileYaml(yaml);
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        Assert.That(result.Rules, Is.Not.Null, "warnings alone do not block");
        return Single(result.Warnings, code);
    }

    /// <summary>1-based line and column of the first occurrence of <paramref name="snippet"/>.</summary>
    public static (int Line, int Column) Find(string yaml, string snippet)
    {
        var index = yaml.IndexOf(snippet, StringComparison.Ordinal);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), snippet);
        var line = yaml[..index].Count(c => c == '\n') + 1;
        var column = index - (yaml.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        return (line, column);
    }

    /// <summary>Asserts the error points at <paramref name="snippet"/> and names <paramref name="field"/>.</summary>
    public static void AssertAt(RuleError error, string yaml, string snippet, string field)
    {
        var (line, column) = Find(yaml, snippet);
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(line), $"line of {error}");
            Assert.That(error.Column, Is.EqualTo(column), $"column of {error}");
            Assert.That(error.Field, Is.EqualTo(field), $"field of {error}");
            Assert.That(error.File, Is.EqualTo("p1.yaml"));
            Assert.That(error.Message, Is.Not.Empty);
        });
    }
}
