using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PbxRouter.Routing.Model;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>The practices an account may see, and one practice's page: its mode with buttons, live calls, links.</summary>
public static class PracticePages
{
    public static void Map(RouteGroupBuilder pages, ConsoleSite site)
    {
        var engine = site.Engine;
        pages.MapGet("/", (HttpContext c) =>
        {
            if (User(c, engine.Options) is not { } user) return Results.StatusCode(StatusCodes.Status403Forbidden);
            var visible = ConsoleAccess.Visible(user, engine);
            if (user.Role == ConsoleRole.Manager && visible.Count == 1) return Results.Redirect($"{ConsoleSite.Root}/practices/{Uri.EscapeDataString(visible[0].Id.Value)}");
            var list = new StringBuilder("<ul>");
            foreach (var p in visible)
                list.Append($"<li><a href=\"{ConsoleSite.Root}/practices/{E(Uri.EscapeDataString(p.Id.Value))}\">{E(p.Name)}</a> ({E(ModeText(c, engine, p))})</li>");
            list.Append($"</ul><p><a href=\"{ConsoleSite.Root}/route\" id=\"route\">{E(ConsoleTexts.Say(c, "route"))}</a></p>");
            if (user.Role == ConsoleRole.Admin) list.Append($"<p><a href=\"{ConsoleSite.Root}/rules\" id=\"rules\">{E(ConsoleTexts.Say(c, "rules"))}</a></p>");
            return Page(c, ConsoleTexts.Say(c, "practices"), list.ToString());
        });
        pages.MapGet("/practices/{id}", (HttpContext c, string id) =>
        {
            if (!ConsoleAccess.TryPractice(c, engine, id, out _, out var practice, out var refusal)) return refusal;
            var root = $"{ConsoleSite.Root}/practices/{E(Uri.EscapeDataString(id))}";
            var body = new StringBuilder()
                .Append($"<p><a href=\"{root}/voicemail\">{E(ConsoleTexts.Say(c, "voicemail"))}</a> · <a href=\"{root}/figures\">{E(ConsoleTexts.Say(c, "figures"))}</a>")
                .Append($" · <a href=\"{ConsoleSite.Root}/route\" id=\"route\">{E(ConsoleTexts.Say(c, "route"))}</a></p>")
                .Append($"<section class=\"card\"><h2>{E(ConsoleTexts.Say(c, "mode"))}</h2><p id=\"mode\">{E(ModeText(c, engine, practice))}</p><p>")
                .Append(Button(c, root + "/mode", ConsoleTexts.Say(c, "back-to-normal"), "mode", ""));
            foreach (var mode in practice.Modes)
                body.Append(Button(c, root + "/mode", $"{ConsoleTexts.Say(c, "set-mode")} : {mode.Name ?? mode.Id.Value}", "mode", mode.Id.Value));
            body.Append("</p></section>").Append(LiveCalls.Section(c, root));
            return Page(c, practice.Name, body.ToString());
        });
        pages.MapPost("/practices/{id}/mode", async (HttpContext c, string id) =>
        {
            if (!ConsoleAccess.TryPractice(c, engine, id, out var user, out var practice, out var refusal)) return refusal;
            if (!await ConsoleAccess.ValidPostAsync(c)) return Results.BadRequest();
            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            var wanted = form["mode"].ToString();
            string? mode = wanted.Length == 0 ? null : practice.Modes.FirstOrDefault(m => m.Id.Value == wanted)?.Id.Value;
            if (wanted.Length > 0 && mode is null) return Results.BadRequest($"practice {id} has no mode '{wanted}'");
            engine.Modes.Current.ActiveModes.TryGetValue(id, out var before);
            await engine.Modes.SetAsync(id, mode, ConsoleAccess.Actor(user), "console", c.RequestAborted);
            await engine.Audit.AddAsync(user.Name, id, "mode", $"{before ?? "normal"} -> {mode ?? "normal"}", c.RequestAborted);
            return Results.Redirect($"{ConsoleSite.Root}/practices/{Uri.EscapeDataString(id)}");
        });
    }

    /// <summary>The practice's mode now, as a feature code would have left it.</summary>
    public static string ModeText(HttpContext c, ConsoleServices engine, Practice practice)
    {
        var state = engine.Modes.Current;
        var id = practice.Id.Value;
        if (state.ForwardedTo.TryGetValue(id, out var number)) return $"{ConsoleTexts.Say(c, "forwarded-to")} {number}";
        if (state.ActiveModes.TryGetValue(id, out var mode))
            return practice.Modes.FirstOrDefault(m => m.Id.Value == mode) is { } m ? $"{m.Id.Value}{(m.Name is null ? "" : " — " + m.Name)}" : mode;
        return ConsoleTexts.Say(c, "normal");
    }
}
