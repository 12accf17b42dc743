using static PbxRouter.Routing.Tests.ValidRules;

namespace PbxRouter.Routing.Tests.Yaml;

public class CtiReaderTests
{
    private const string Anchor = "    trunk: t1\n";

    private static string WithCti(string block) => With(Anchor, Anchor + block);

    [Test]
    public void A_practice_s_cti_block_is_read_with_caller_numbers_off_by_default()
    {
        var result = CompileYaml(WithCti("    cti: { webhook: \"https://agenda.example.fr/pbx\", secret_env: P1_CTI_SECRET }\n"));
        Assert.That(result.Errors, Is.Empty, string.Join("\n", result.Errors));
        var cti = result.Rules!.Model.Practices[0].Cti!;
        Assert.That((cti.Webhook, cti.SecretEnv, cti.CallerNumbers), Is.EqualTo(("https://agenda.example.fr/pbx", "P1_CTI_SECRET", false)));
    }

    [Test]
    public void Caller_numbers_true_is_kept()
    {
        var result = CompileYaml(WithCti("    cti: { webhook: \"https://agenda.example.fr/pbx\", secret_env: P1_CTI_SECRET, caller_numbers: true }\n"));
        Assert.That(result.Rules!.Model.Practices[0].Cti!.CallerNumbers, Is.True);
    }

    [Test]
    public void A_practice_without_cti_has_none()
    {
        var result = CompileYaml(ValidRules.Yaml);
        Assert.That(result.Rules!.Model.Practices[0].Cti, Is.Null);
    }

    [Test]
    public void A_plain_http_webhook_is_an_error_naming_file_line_and_field()
    {
        var yaml = WithCti("    cti: { webhook: \"http://agenda.example.fr/pbx\", secret_env: P1_CTI_SECRET }\n");
        var error = Error(yaml, RuleErrorCodes.InvalidValue);
        AssertAt(error, yaml, "\"http://agenda", "practices[0].cti.webhook");
        Assert.That(error.Hint, Does.Contain("https://"));
    }

    [Test]
    public void A_missing_secret_env_is_an_error_webhooks_are_always_signed()
    {
        var yaml = WithCti("    cti: { webhook: \"https://agenda.example.fr/pbx\" }\n");
        var error = Error(yaml, RuleErrorCodes.MissingField);
        Assert.That(error.Field, Is.EqualTo("practices[0].cti.secret_env"));
        Assert.That(error.File, Is.EqualTo("p1.yaml"));
        Assert.That(error.Line, Is.EqualTo(Find(yaml, "cti:").Line));
    }

    [Test]
    public void A_secret_value_instead_of_a_variable_name_is_an_error()
    {
        var yaml = WithCti("    cti: { webhook: \"https://agenda.example.fr/pbx\", secret_env: \"s3cr3t-value!\" }\n");
        AssertAt(Error(yaml, RuleErrorCodes.InvalidValue), yaml, "\"s3cr3t-value!\"", "practices[0].cti.secret_env");
    }

    [Test]
    public void A_password_in_the_webhook_url_is_an_error()
    {
        var yaml = WithCti("    cti: { webhook: \"https://user:pass@agenda.example.fr/pbx\", secret_env: P1_CTI_SECRET }\n");
        AssertAt(Error(yaml, RuleErrorCodes.SecretInYaml), yaml, "\"https://user", "practices[0].cti.webhook");
    }

    [Test]
    public void An_unknown_key_is_an_error_with_its_field()
    {
        var yaml = WithCti("    cti: { webhook: \"https://agenda.example.fr/pbx\", secret_env: P1_CTI_SECRET, callers: true }\n");
        AssertAt(Error(yaml, RuleErrorCodes.UnknownField), yaml, "callers: true", "practices[0].cti.callers");
    }

    [Test]
    public void Caller_numbers_must_be_true_or_false()
    {
        var yaml = WithCti("    cti: { webhook: \"https://agenda.example.fr/pbx\", secret_env: P1_CTI_SECRET, caller_numbers: maybe }\n");
        var result = CompileYaml(yaml);
        Assert.That(result.Rules, Is.Null);
        Assert.That(result.Errors.Single().Field, Is.EqualTo("practices[0].cti.caller_numbers"));
    }
}
