using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;
using NodaTime.Text;
using PbxRouter.Calls.Figures;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>A practice's figures for a period (the same calculator as `pbxrouter report`): a CSS bar chart by hour and the callers to call back.</summary>
public static class FiguresPages
{
    private const int MaxDays = 366;

    public static void Map(RouteGroupBuilder pages, ConsoleSite site)
    {
        var engine = site.Engine;
        pages.MapGet("/practices/{id}/figures", async (HttpContext c, string id) =>
        {
            if (!ConsoleAccess.TryPractice(c, engine, id, out _, out var practice, out var refusal)) return refusal;
            var zone = DateTimeZoneProviders.Tzdb[practice.TimeZone.Value];
            var today = Instant.FromDateTimeOffset(engine.Time.GetUtcNow()).InZone(zone).Date;
            var from = Date(c.Request.Query["from"]) ?? today;
            var to = Date(c.Request.Query["to"]) ?? today;
            if (to < from || Period.DaysBetween(from, to) + 1 > MaxDays) return Results.BadRequest($"give from <= to, at most {MaxDays} days");
            var query = new FiguresQuery(id, from, to, zone);
            var settings = FiguresSettings.Default with { ServiceLevel = TimeSpan.FromSeconds(practice.ServiceLevelSeconds) };
            var records = await engine.Records.ForPracticeAsync(id, query.Start.ToDateTimeOffset(), query.End.ToDateTimeOffset() + settings.CallBackWithin, c.RequestAborted);
            var f = FiguresCalculator.Compute(query, settings, records);
            return Page(c, $"{ConsoleTexts.Say(c, "figures")} · {practice.Name}", Render(c, id, f));
        });
    }

    private static LocalDate? Date(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text) is { Success: true } parsed ? parsed.Value : null;

    private static string Render(HttpContext c, string id, PracticeFigures f)
    {
        string T(string key) => E(ConsoleTexts.Say(c, key));
        static string Rate(Share s) => s.Rate is { } r ? r.ToString("P0", CultureInfo.InvariantCulture) : "—";
        var body = new StringBuilder()
            .Append($"<form method=\"get\" class=\"card\"><label>{T("from")} <input type=\"date\" name=\"from\" value=\"{f.From:yyyy-MM-dd}\"></label> ")
            .Append($"<label>{T("to")} <input type=\"date\" name=\"to\" value=\"{f.To:yyyy-MM-dd}\"></label> <button id=\"show\">{T("show")}</button></form>")
            .Append("<table id=\"figures\"><tbody>")
            .Append($"<tr><th>{T("offered")}</th><td id=\"offered\">{f.Offered}</td></tr>")
            .Append($"<tr><th>{T("answered")}</th><td id=\"answered\">{f.Outcomes.Practice}</td></tr>")
            .Append($"<tr><th>{T("by-secretariat")}</th><td id=\"secretariat\">{f.Outcomes.Secretariat}</td></tr>")
            .Append($"<tr><th>{T("voicemail")}</th><td id=\"voicemails\">{f.Outcomes.Voicemail}</td></tr>")
            .Append($"<tr><th>{T("abandoned")}</th><td id=\"abandoned\">{f.Abandoned.Count} ({Rate(f.Abandoned)})</td></tr>")
            .Append($"<tr><th>{T("service-level")} ({f.ServiceLevelSeconds} s)</th><td id=\"service-level\">{Rate(f.ServiceLevel)}</td></tr>")
            .Append("</tbody></table>");
        var max = Math.Max(1, f.ByHour.Max(h => h.Calls));
        body.Append($"<section class=\"card\"><h2>{T("by-hour")}</h2><table id=\"by-hour\">");
        foreach (var hour in f.ByHour.Where(h => h.Calls > 0 || (h.Hour >= 7 && h.Hour <= 20)))
            body.Append($"<tr><th>{hour.Hour:00} h</th><td><span class=\"bar\" style=\"width:{hour.Calls * 100 / max}%\"></span> {hour.Calls}</td></tr>");
        body.Append("</table></section>");
        body.Append($"<section class=\"card\"><h2>{T("abandoned-callers")}</h2><table id=\"abandoned-callers\"><tbody>");
        foreach (var caller in f.AbandonedCallers)
            body.Append($"<tr><td>{E(caller.Number ?? "—")}</td><td>{caller.Calls}</td><td>{E(caller.Last.ToString("yyyy-MM-dd HH:mm"))} UTC</td>")
                .Append($"<td>{(caller.CalledBack is null ? T("not-called-back") : T("called-back"))}</td></tr>");
        return body.Append("</tbody></table></section>").ToString();
    }
}
