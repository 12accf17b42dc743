using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PbxRouter.Routing.Model;

namespace PbxRouter.WebConsole;

/// <summary>The server-side checks every console page and action makes: the account, its practice, the antiforgery token.</summary>
public static class ConsoleAccess
{
    /// <summary>
    /// The practice the request names, if this account may see it. A manager asking for any other practice (existing or not)
    /// gets 403; an admin asking for an unknown one 404.
    /// </summary>
    public static bool TryPractice(HttpContext context, ConsoleServices engine, string practiceId,
        out ConsoleUser user, out Practice practice, out IResult refusal)
    {
        user = ConsoleHtml.User(context, engine.Options)!;
        practice = null!;
        if (user is null)
        {
            refusal = Results.StatusCode(StatusCodes.Status403Forbidden);
            return false;
        }
        if (!user.MaySee(practiceId))
        {
            refusal = ConsoleHtml.Page(context, ConsoleTexts.Say(context, "forbidden"), "", StatusCodes.Status403Forbidden);
            return false;
        }
        var found = engine.Rules.Current?.Model.Practices.FirstOrDefault(p => p.Id.Value == practiceId);
        if (found is null)
        {
            refusal = Results.NotFound();
            return false;
        }
        practice = found;
        refusal = Results.Empty;
        return true;
    }

    /// <summary>The practices this account may see, in the order of the rules.</summary>
    public static IReadOnlyList<Practice> Visible(ConsoleUser user, ConsoleServices engine) =>
        engine.Rules.Current?.Model.Practices.Where(p => user.MaySee(p.Id.Value)).ToList() ?? [];

    /// <summary>False (and a 400 answer to send) when a POST lacks a valid antiforgery token.</summary>
    public static async Task<bool> ValidPostAsync(HttpContext context)
    {
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>How the engine's mode audit names a change made in the console (set_by; via is "console").</summary>
    public static string Actor(ConsoleUser user) => "console:" + user.Name;
}
