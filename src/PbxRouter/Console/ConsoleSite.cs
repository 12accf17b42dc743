using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PbxRouter.WebConsole;

/// <summary>
/// The web console under /console on the engine's web server: cookie login (HttpOnly, SameSite=Strict, Secure over HTTPS),
/// antiforgery on every POST, and its pages. Reads the engine's own services (<see cref="ConsoleServices"/>).
/// </summary>
public sealed class ConsoleSite(ConsoleServices engine)
{
    public const string Root = "/console";
    public const string CookieName = "pbxrouter-console";

    public ConsoleServices Engine => engine;

    /// <summary>Cookie authentication, authorization and antiforgery in the web server's own container.</summary>
    public void AddServices(IServiceCollection services)
    {
        services.AddRouting();
        services.AddDataProtection().SetApplicationName("pbxrouter-console")
            .PersistKeysToFileSystem(new DirectoryInfo(engine.KeysFolder));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = Root;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = Root + "/login";
            o.LogoutPath = Root + "/logout";
            o.Events.OnRedirectToLogin = c => Refuse(c.HttpContext, c.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Refuse(c.HttpContext, c.RedirectUri, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pbxrouter-console-af";
            o.Cookie.Path = Root;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = ConsoleHtml.AntiforgeryField;
        });
    }

    /// <summary>The console's endpoints; call after UseRouting, UseAuthentication and UseAuthorization.</summary>
    public void Map(WebApplication app)
    {
        LoginPages.Map(app, this);
        var pages = app.MapGroup(Root).RequireAuthorization();
        PracticePages.Map(pages, this);
        LiveCalls.Map(pages, this);
        VoicemailPages.Map(pages, this);
        FiguresPages.Map(pages, this);
        RulesPages.Map(pages, this);
        RoutePages.Map(pages, this);
    }

    /// <summary>Pages go to the login form; the JSON endpoints (and the audio) answer the status code.</summary>
    private static Task Refuse(HttpContext context, string redirect, int status)
    {
        if (status == StatusCodes.Status401Unauthorized && !context.Request.Path.StartsWithSegments(Root + "/api")
            && HttpMethods.IsGet(context.Request.Method))
            context.Response.Redirect(redirect);
        else
            context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
