using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>Login (throttled, audited, refused logins too), logout, and the language switch.</summary>
public static class LoginPages
{
    public static void Map(WebApplication app, ConsoleSite site)
    {
        var engine = site.Engine;
        app.MapGet(ConsoleSite.Root + "/login", (HttpContext c) => Form(c, null, StatusCodes.Status200OK));
        app.MapPost(ConsoleSite.Root + "/login", async (HttpContext c) =>
        {
            if (!await ConsoleAccess.ValidPostAsync(c)) return Results.BadRequest();
            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            var name = form["user"].ToString().Trim();
            var password = form["password"].ToString();
            if (name.Length == 0 || name.Length > 100) return Form(c, "wrong-login", StatusCodes.Status401Unauthorized);
            if (engine.Throttle.IsLocked(name))
            {
                await engine.Audit.AddAsync(name, null, "login-refused", "locked after failed logins", c.RequestAborted);
                return Form(c, "locked", StatusCodes.Status429TooManyRequests);
            }
            var user = engine.Options.Find(name);
            if (user is null || !ConsolePasswords.Verify(user.PasswordHash, password))
            {
                var locks = engine.Throttle.Failed(name);
                await engine.Audit.AddAsync(name, user?.Practice, "login-failed", locks ? "wrong password; locked" : "wrong password", c.RequestAborted);
                await Task.Delay(LoginThrottle.FailureDelay, engine.Time, c.RequestAborted);
                return Form(c, locks ? "locked" : "wrong-login", StatusCodes.Status401Unauthorized);
            }
            engine.Throttle.Succeeded(name);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString())],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await c.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            await engine.Audit.AddAsync(user.Name, user.Practice, "login", user.Role.ToString().ToLowerInvariant(), c.RequestAborted);
            return Results.Redirect(ConsoleSite.Root + "/");
        });
        app.MapPost(ConsoleSite.Root + "/logout", async (HttpContext c) =>
        {
            if (!await ConsoleAccess.ValidPostAsync(c)) return Results.BadRequest();
            if (ConsoleHtml.User(c, engine.Options) is { } user) await engine.Audit.AddAsync(user.Name, user.Practice, "logout", "", c.RequestAborted);
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(ConsoleSite.Root + "/login");
        });
        app.MapGet(ConsoleSite.Root + "/lang/{lang}", (HttpContext c, string lang) =>
        {
            c.Response.Cookies.Append(ConsoleTexts.LanguageCookie, lang == "en" ? "en" : "fr",
                new CookieOptions { Path = ConsoleSite.Root, SameSite = SameSiteMode.Strict, HttpOnly = true, Secure = c.Request.IsHttps, MaxAge = TimeSpan.FromDays(365) });
            var back = c.Request.Headers.Referer.ToString();
            return Results.Redirect(Uri.TryCreate(back, UriKind.Absolute, out var uri) && uri.AbsolutePath.StartsWith(ConsoleSite.Root, StringComparison.Ordinal)
                ? uri.PathAndQuery : ConsoleSite.Root + "/");
        });
    }

    private static IResult Form(HttpContext c, string? error, int status) => Page(c, ConsoleTexts.Say(c, "login"),
        (error is null ? "" : $"<p class=\"error\" id=\"login-error\">{E(ConsoleTexts.Say(c, error))}</p>")
        + $"<form method=\"post\" action=\"{ConsoleSite.Root}/login\" class=\"card\">{Token(c)}"
        + $"<p><label>{E(ConsoleTexts.Say(c, "user"))}<br><input name=\"user\" id=\"user\" autocomplete=\"username\" required></label></p>"
        + $"<p><label>{E(ConsoleTexts.Say(c, "password"))}<br><input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>"
        + $"<p><button type=\"submit\" id=\"login\">{E(ConsoleTexts.Say(c, "login"))}</button></p></form>", status);
}
