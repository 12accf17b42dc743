using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PbxRouter.WebConsole;

/// <summary>Server-rendered pages: one layout (responsive CSS, language switch), encoded text, the antiforgery field.</summary>
public static class ConsoleHtml
{
    public const string AntiforgeryField = "__af";

    public static string E(string? text) => (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>The hidden antiforgery field every POST form carries.</summary>
    public static string Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>A POST form with its antiforgery field and one button.</summary>
    public static string Button(HttpContext context, string action, string label, string? fieldName = null, string? fieldValue = null) =>
        $"<form method=\"post\" action=\"{E(action)}\" class=\"inline\">{Token(context)}"
        + (fieldName is null ? "" : $"<input type=\"hidden\" name=\"{E(fieldName)}\" value=\"{E(fieldValue)}\">")
        + $"<button type=\"submit\">{E(label)}</button></form>";

    public static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK)
    {
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name : null;
        var lang = ConsoleTexts.IsEnglish(context) ? "en" : "fr";
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>{E(title)} · {E(ConsoleTexts.Say(context, "title"))}</title><style>{Css}</style></head><body><header>")
            .Append($"<a href=\"{ConsoleSite.Root}/\">{E(ConsoleTexts.Say(context, "title"))}</a>")
            .Append($"<span class=\"lang\"><a href=\"{ConsoleSite.Root}/lang/fr\">FR</a> <a href=\"{ConsoleSite.Root}/lang/en\">EN</a></span>");
        if (user is not null)
            html.Append($"<span class=\"who\">{E(user)}</span>").Append(Button(context, ConsoleSite.Root + "/logout", ConsoleTexts.Say(context, "logout")));
        html.Append($"</header><main><h1>{E(title)}</h1>{body}</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The signed-in account as configured now (an account removed from the configuration loses access at once).</summary>
    public static ConsoleUser? User(HttpContext context, ConsoleOptions options) =>
        context.User.FindFirstValue(ClaimTypes.Name) is { } name ? options.Find(name) : null;

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#f7f7f5}
        header{display:flex;flex-wrap:wrap;gap:.8em;align-items:center;padding:.6em 1em;background:#1d4e89;color:#fff}
        header a{color:#fff}.who{margin-left:auto}.lang a{margin-right:.3em}
        main{padding:1em;max-width:60em;margin:auto}
        table{border-collapse:collapse;width:100%;margin-bottom:1em;background:#fff}
        th,td{border-bottom:1px solid #ddd;padding:.4em;text-align:left}
        form.inline{display:inline}button{padding:.4em .8em;margin:.1em}
        .bar{background:#1d4e89;height:1em;display:inline-block}.error{color:#a00}
        .card{background:#fff;padding:.8em;margin-bottom:1em;border:1px solid #ddd}
        pre{white-space:pre-wrap;overflow-wrap:anywhere}input{max-width:100%}
        @media (max-width:40em){th,td{font-size:.9em;padding:.3em}main{padding:.5em}}
        """;
}
