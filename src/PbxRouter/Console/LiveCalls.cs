using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PbxRouter.Calls.Engine;
using static PbxRouter.WebConsole.ConsoleHtml;

namespace PbxRouter.WebConsole;

/// <summary>One call of a practice now: who calls, since when, waiting (place in the queue) or talking (with whom).</summary>
public sealed record LiveCall(string Caller, string State, int Seconds, int? Position, string? With);

/// <summary>
/// A practice's live calls from the engine's own journal (the calls in progress) and reception queues, as JSON polled every
/// second by the practice page (no reload).
/// </summary>
public static class LiveCalls
{
    public static void Map(RouteGroupBuilder pages, ConsoleSite site)
    {
        var engine = site.Engine;
        pages.MapGet("/api/practices/{id}/live", (HttpContext c, string id) =>
        {
            if (!ConsoleAccess.TryPractice(c, engine, id, out _, out _, out var refusal)) return refusal;
            c.Response.Headers.CacheControl = "no-store";
            return Results.Json(new { calls = Of(engine, id) });
        });
    }

    /// <summary>The practice's calls in progress: waiting ones first (by place), then the others.</summary>
    public static IReadOnlyList<LiveCall> Of(ConsoleServices engine, string practiceId)
    {
        var now = engine.Time.GetUtcNow();
        var waiting = engine.Queues.Queues
            .Where(q => q.Key == practiceId || q.Key.StartsWith(practiceId + ".", StringComparison.Ordinal))
            .SelectMany(q => q.Value.Snapshot()).ToDictionary(w => w.CallId, StringComparer.Ordinal);
        var calls = new List<LiveCall>();
        foreach (var trace in engine.Journal.Active)
        {
            if (PracticeOf(trace) != practiceId) continue;
            var with = With(trace);
            if (with is not null)
                calls.Add(new LiveCall(trace.CallerNumber, "talking", Seconds(now - trace.StartedAt), null, with));
            else if (waiting.TryGetValue(trace.CallId, out var w))
                calls.Add(new LiveCall(trace.CallerNumber, "waiting", Seconds(now - w.Since), w.Position, null));
            else
                calls.Add(new LiveCall(trace.CallerNumber, "in-progress", Seconds(now - trace.StartedAt), null, null));
        }
        return calls.OrderBy(c => c.State == "waiting" ? 0 : 1).ThenBy(c => c.Position).ThenByDescending(c => c.Seconds).ToList();
    }

    private static int Seconds(TimeSpan span) => Math.Max(0, (int)span.TotalSeconds);

    /// <summary>The practice from the plan step ("plan: Open (tilleuls)"); null before the call is routed.</summary>
    internal static string? PracticeOf(CallTrace trace)
    {
        var plan = trace.Steps.FirstOrDefault(s => s.StartsWith("plan: ", StringComparison.Ordinal));
        if (plan is null) return null;
        var open = plan.LastIndexOf('(');
        return open < 0 || !plan.EndsWith(')') ? null : plan[(open + 1)..^1];
    }

    /// <summary>Who the caller talks with: the last "connected to X" or "transferred to X" step.</summary>
    internal static string? With(CallTrace trace)
    {
        var step = trace.Steps.LastOrDefault(s => s.StartsWith("connected to ", StringComparison.Ordinal) || s.StartsWith("transferred to ", StringComparison.Ordinal));
        return step?[(step.IndexOf(" to ", StringComparison.Ordinal) + 4)..];
    }

    /// <summary>The table the page fills from the JSON endpoint every second.</summary>
    public static string Section(HttpContext c, string practiceRoot)
    {
        string T(string key) => E(ConsoleTexts.Say(c, key));
        return $$"""
            <section class="card"><h2>{{T("live")}}</h2>
            <table id="live"><thead><tr><th>{{T("caller")}}</th><th>{{T("state")}}</th><th>{{T("since")}}</th><th>{{T("position")}}</th><th>{{T("with")}}</th></tr></thead><tbody></tbody></table>
            <p id="live-empty">{{T("no-call")}}</p></section>
            <script>
            (function () {
              var words = { waiting: "{{T("waiting")}}", talking: "{{T("talking")}}", "in-progress": "{{T("in-progress")}}" };
              var url = "{{ConsoleSite.Root}}/api{{practiceRoot[ConsoleSite.Root.Length..]}}/live";
              function cell(row, text) { var td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
              async function poll() {
                try {
                  var r = await fetch(url, { credentials: "same-origin", cache: "no-store" });
                  if (r.ok) {
                    var data = await r.json(), body = document.querySelector("#live tbody");
                    body.replaceChildren();
                    data.calls.forEach(function (call) {
                      var row = document.createElement("tr"); row.className = "call " + call.state;
                      cell(row, call.caller); cell(row, words[call.state] || call.state); cell(row, call.seconds + " s");
                      cell(row, call.position || ""); cell(row, call.with || ""); body.appendChild(row);
                    });
                    document.getElementById("live-empty").hidden = data.calls.length > 0;
                  }
                } catch (e) { }
                setTimeout(poll, 1000);
              }
              poll();
            })();
            </script>
            """;
    }
}
