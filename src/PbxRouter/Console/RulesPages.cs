using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PbxRouter.Store;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>Platform admins only: the rules version in force, its diff with the previous version, and rollback (audited).</summary>
public static class RulesPages
{
    public static void Map(RouteGroupBuilder pages, ConsoleSite site)
    {
        var engine = site.Engine;
        pages.MapGet("/rules", async (HttpContext c) =>
        {
            if (User(c, engine.Options) is not { Role: ConsoleRole.Admin }) return Page(c, ConsoleTexts.Say(c, "forbidden"), "", StatusCodes.Status403Forbidden);
            string T(string key) => E(ConsoleTexts.Say(c, key));
            var active = await engine.RulesStore.ActiveVersionNumberAsync(c.RequestAborted);
            var body = new StringBuilder($"<p id=\"in-force\">{T("rules-version")} : {active}</p>");
            if (active > 1 && await engine.RulesStore.GetAsync(active, c.RequestAborted) is { } now && await engine.RulesStore.GetAsync(active - 1, c.RequestAborted) is { } before)
                body.Append($"<section class=\"card\"><h2>{T("rules-diff")} {active - 1} → {active}</h2><pre id=\"diff\">").Append(E(Diff(Text(before), Text(now)))).Append("</pre></section>");
            body.Append($"<table id=\"history\"><thead><tr><th>{T("rules-version-col")}</th><th>{T("rules-applied")}</th><th>{T("rules-by")}</th><th>{T("rules-comment")}</th><th></th></tr></thead><tbody>");
            foreach (var v in await engine.RulesStore.HistoryAsync(20, c.RequestAborted))
                body.Append($"<tr><td>{v.Number}</td><td>{E(v.AppliedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC</td><td>{E(v.AppliedBy)}</td><td>{E(v.Comment)}</td><td>")
                    .Append(v.Number == active ? "✓" : Button(c, ConsoleSite.Root + "/rules/rollback", $"{ConsoleTexts.Say(c, "rollback")} {v.Number}", "version", v.Number.ToString(CultureInfo.InvariantCulture)))
                    .Append("</td></tr>");
            return Page(c, ConsoleTexts.Say(c, "rules"), body.Append("</tbody></table>").ToString());
        });
        pages.MapPost("/rules/rollback", async (HttpContext c) =>
        {
            if (User(c, engine.Options) is not { Role: ConsoleRole.Admin } user) return Results.StatusCode(StatusCodes.Status403Forbidden);
            if (!await ConsoleAccess.ValidPostAsync(c)) return Results.BadRequest();
            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            if (!int.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return Results.BadRequest("version: a number");
            try
            {
                var result = await engine.RulesStore.RollbackAsync(version, ConsoleAccess.Actor(user), c.RequestAborted);
                await engine.Audit.AddAsync(user.Name, null, "rules-rollback", result.Unchanged ? $"to {version}: unchanged" : $"to {version}: version {result.Number}", c.RequestAborted);
            }
            catch (RulesVersionNotFoundException)
            {
                return Results.NotFound();
            }
            return Results.Redirect(ConsoleSite.Root + "/rules");
        });
    }

    private static string[] Text(StoredRules rules) =>
        rules.Files.SelectMany(f => new[] { "# " + f.Path }.Concat(f.Text.Split('\n'))).ToArray();

    /// <summary>A line diff (longest common subsequence): "- " removed, "+ " added, "  " kept.</summary>
    internal static string Diff(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var text = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { text.Append("  ").AppendLine(a[x]); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) text.Append("+ ").AppendLine(b[y++]);
            else text.Append("- ").AppendLine(a[x++]);
        }
        return text.ToString();
    }
}
