using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PbxRouter.Store;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>A practice's voicemail: its boxes' messages, played in the browser, marked as heard, deleted (each audited).</summary>
public static class VoicemailPages
{
    public static void Map(RouteGroupBuilder pages, ConsoleSite site)
    {
        var engine = site.Engine;
        pages.MapGet("/practices/{id}/voicemail", async (HttpContext c, string id) =>
        {
            if (!ConsoleAccess.TryPractice(c, engine, id, out _, out var practice, out var refusal)) return refusal;
            string T(string key) => E(ConsoleTexts.Say(c, key));
            var root = $"{ConsoleSite.Root}/practices/{E(Uri.EscapeDataString(id))}/voicemail";
            var body = new StringBuilder();
            foreach (var box in practice.VoicemailBoxes)
            {
                var messages = (await engine.Voicemail.ListAsync(box.Id.Value, includeListened: true, c.RequestAborted))
                    .Where(m => m.PracticeId == id).ToList();
                body.Append($"<section class=\"card\"><h2>{T("box")} {E(box.Name ?? box.Id.Value)}</h2>");
                if (messages.Count == 0) body.Append($"<p>{T("no-message")}</p>");
                else body.Append($"<table><thead><tr><th>{T("recorded")}</th><th>{T("caller")}</th><th>{T("duration")}</th><th></th><th></th></tr></thead><tbody>");
                foreach (var m in messages)
                {
                    var one = $"{root}/{E(Uri.EscapeDataString(m.Id))}";
                    body.Append($"<tr class=\"message\" id=\"m-{E(m.Id)}\"><td>{E(m.RecordedAt.ToString("yyyy-MM-dd HH:mm"))} UTC{(m.Urgent ? $" <b>{T("urgent")}</b>" : "")}</td>")
                        .Append($"<td>{E(m.CallerNumber)}</td><td>{m.DurationSeconds} s</td>")
                        .Append($"<td><audio controls preload=\"metadata\" src=\"{one}/audio\"></audio></td><td>")
                        .Append(m.ListenedAt is null ? Button(c, one + "/heard", ConsoleTexts.Say(c, "mark-heard")) : $"{T("heard")} ({E(m.ListenedBy)})")
                        .Append(Button(c, one + "/delete", ConsoleTexts.Say(c, "delete"))).Append("</td></tr>");
                }
                if (messages.Count > 0) body.Append("</tbody></table>");
                body.Append("</section>");
            }
            return Page(c, $"{ConsoleTexts.Say(c, "voicemail")} · {practice.Name}", body.ToString());
        });
        pages.MapGet("/practices/{id}/voicemail/{message}/audio", async (HttpContext c, string id, string message) =>
        {
            if (!ConsoleAccess.TryPractice(c, engine, id, out var user, out _, out var refusal)) return refusal;
            if (await engine.Voicemail.GetAsync(message, c.RequestAborted) is not { } m || m.PracticeId != id || !engine.VoicemailFiles.Has(m.RecordingName))
                return Results.NotFound();
            c.Response.Headers.CacheControl = "private, no-store";
            return Results.File(engine.VoicemailFiles.PathOf(m.RecordingName), "audio/wav", enableRangeProcessing: true);
        });
        pages.MapPost("/practices/{id}/voicemail/{message}/heard", (HttpContext c, string id, string message) =>
            ChangeAsync(c, engine, id, message, "voicemail-heard", (by, m) => engine.Voicemail.MarkListenedAsync(m.Id, by, c.RequestAborted)));
        pages.MapPost("/practices/{id}/voicemail/{message}/delete", (HttpContext c, string id, string message) =>
            ChangeAsync(c, engine, id, message, "voicemail-deleted", async (by, m) =>
            {
                var done = await engine.Voicemail.DeleteAsync(m.Id, by, c.RequestAborted);
                if (done) engine.VoicemailFiles.Delete(m.RecordingName);
                return done;
            }));
    }

    private static async Task<IResult> ChangeAsync(HttpContext c, ConsoleServices engine, string id, string message, string action,
        Func<string, VoicemailMessage, Task<bool>> change)
    {
        if (!ConsoleAccess.TryPractice(c, engine, id, out var user, out _, out var refusal)) return refusal;
        if (!await ConsoleAccess.ValidPostAsync(c)) return Results.BadRequest();
        if (await engine.Voicemail.GetAsync(message, c.RequestAborted) is not { } m || m.PracticeId != id) return Results.NotFound();
        if (!await change(ConsoleAccess.Actor(user), m)) return Results.NotFound();
        await engine.Audit.AddAsync(user.Name, id, action, $"{m.Box} {m.Id}", c.RequestAborted);
        return Results.Redirect($"{ConsoleSite.Root}/practices/{Uri.EscapeDataString(id)}/voicemail");
    }
}
