using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using PbxRouter.Routing;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>
/// "Where would this call go": a GET form answered by the same decision as `pbxrouter route`, with the rules and modes in
/// force. Changes nothing. A manager may only ask about their own practice's numbers and phones (403 otherwise).
/// </summary>
public static class RoutePages
{
    /// <summary>Longest input accepted in any field (a phone number, a time, PRACTICE.PHONE are far shorter).</summary>
    public const int MaxInput = 64;

    public const string DefaultCaller = "+33600000000";

    private static readonly RouteQuestion.InputNames FormNames = new("to", "at", "phone");

    public static void Map(RouteGroupBuilder pages, ConsoleSite site)
    {
        var engine = site.Engine;
        pages.MapGet("/route", (HttpContext c) =>
        {
            if (User(c, engine.Options) is not { } user) return Results.StatusCode(StatusCodes.Status403Forbidden);
            var to = c.Request.Query["to"].ToString().Trim();
            var from = c.Request.Query["from"].ToString().Trim();
            var at = c.Request.Query["at"].ToString().Trim();
            var phone = c.Request.Query["phone"].ToString().Trim();
            var title = ConsoleTexts.Say(c, "route");
            if (to.Length == 0) return Page(c, title, Form(c, to, Cut(from), Cut(at), Cut(phone)));
            if (Toolong(("to", to), ("from", from), ("at", at), ("phone", phone)) is { } tooLong) return Refused(c, to, from, at, phone, tooLong);
            if (engine.Rules.Current is not { } rules) return Refused(c, to, from, at, phone, "no rules applied yet", StatusCodes.Status503ServiceUnavailable);
            if (phone.Length > 0)
            {
                if (!user.MaySee(phone.Split('.', 2)[0])) return Page(c, ConsoleTexts.Say(c, "forbidden"), "", StatusCodes.Status403Forbidden);
                var dial = RouteQuestion.AskPhoneDial(rules, phone, to, FormNames);
                if (dial.Dial is null) return Refused(c, to, from, at, phone, dial.Error!);
                return Page(c, title, Form(c, to, from, at, phone) + Explanation(PhoneDialFormatter.ToText(dial.Dial), null));
            }
            if (from.Length > 0 && !PhoneNumbers.TryNormalize(from, out _))
                return Refused(c, to, from, at, phone, $"from '{from}' is not a phone number (E.164 +33612345678 or national 06 12 34 56 78)");
            var now = Instant.FromDateTimeOffset(engine.Time.GetUtcNow());
            var answer = RouteQuestion.AskCall(rules, engine.Modes.Current, to, from.Length == 0 ? DefaultCaller : from, at.Length == 0 ? null : at, now, FormNames);
            if (answer.Plan is not { } plan) return Refused(c, to, from, at, phone, answer.Error!);
            if (plan.PracticeId is null ? user.Role != ConsoleRole.Admin : !user.MaySee(plan.PracticeId))
                return Page(c, ConsoleTexts.Say(c, "forbidden"), "", StatusCodes.Status403Forbidden);
            return Page(c, title, Form(c, to, from, at, phone) + Explanation(PlanFormatter.ToText(plan), answer.Note));
        });
    }

    private static string? Toolong(params (string Name, string Value)[] fields) =>
        fields.Where(f => f.Value.Length > MaxInput).Select(f => $"{f.Name}: at most {MaxInput} characters ({f.Value.Length} given)").FirstOrDefault();

    private static IResult Refused(HttpContext c, string to, string from, string at, string phone, string error, int status = StatusCodes.Status400BadRequest) =>
        Page(c, ConsoleTexts.Say(c, "route"), $"<p class=\"error\" id=\"error\">{E(error)}</p>" + Form(c, Cut(to), Cut(from), Cut(at), Cut(phone)), status);

    private static string Cut(string text) => text.Length > MaxInput ? "" : text;

    private static string Explanation(string text, string? note) =>
        (note is null ? "" : $"<p id=\"note\">Note: {E(note)}</p>") + $"<pre id=\"explanation\" class=\"card\">{E(text)}</pre>";

    private static string Form(HttpContext c, string to, string from, string at, string phone)
    {
        string T(string key) => E(ConsoleTexts.Say(c, key));
        return new StringBuilder($"<form method=\"get\" action=\"{ConsoleSite.Root}/route\" class=\"card\" id=\"route-form\">")
            .Append($"<p><label>{T("route-to")} <input name=\"to\" required maxlength=\"{MaxInput}\" value=\"{E(to)}\" placeholder=\"01 45 00 00 00\"></label></p>")
            .Append($"<p><label>{T("route-from")} <input name=\"from\" maxlength=\"{MaxInput}\" value=\"{E(from)}\" placeholder=\"{DefaultCaller}\"></label></p>")
            .Append($"<p><label>{T("route-at")} <input name=\"at\" maxlength=\"{MaxInput}\" value=\"{E(at)}\" placeholder=\"2026-12-25 10:00\"></label></p>")
            .Append($"<p><label>{T("route-phone")} <input name=\"phone\" maxlength=\"{MaxInput}\" value=\"{E(phone)}\" placeholder=\"tilleuls.accueil-1\"></label></p>")
            .Append($"<p><button type=\"submit\" id=\"ask\">{T("route-ask")}</button></p></form>").ToString();
    }
}
