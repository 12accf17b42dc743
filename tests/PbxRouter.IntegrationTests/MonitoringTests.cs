using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PbxRouter.IntegrationTests.Flows;
using PbxRouter.IntegrationTests.Infrastructure;
using PbxRouter.Store;

namespace PbxRouter.IntegrationTests;

/// <summary>
/// /health and /metrics of `pbxrouter serve` (a real child process) on a free loopback port, with real Asterisk and SIPp: healthy
/// once connected with rules, a patient's answered call counted for its practice, ARI REST latency observed, and /health
/// turning 503 naming ARI once Asterisk stops, then 200 again with the reconnect counted once it is back.
/// </summary>
[TestFixture]
public sealed class MonitoringTests
{
    /// <summary>Line "attente" of tilleuls-test.yaml: queue on accueil-1 alone.</summary>
    private const string WaitingLine = "+33145000006";
    private const string Patient = "+33640000801";

    [Test]
    public async Task Health200_ThenAnAnsweredCallIsCountedWithAriLatency_ThenAsteriskStops_AndHealthIs503NamingAri_UntilItIsBack()
    {
        await using var asterisk = new AsteriskInstance(fallbackNumber: PracticeCalls.SecretariatNumber);
        await asterisk.StartAsync();
        var port = FreePorts.Tcp();
        await using var served = await ServedPractice.StartAsync(asterisk, PracticeCalls.Open, "monitoring",
            settings: new Dictionary<string, string> { ["Web:Url"] = $"http://127.0.0.1:{port}" });
        await served.Engine.WaitForLineAsync("Metrics and health on http://127.0.0.1:", "the engine serves /metrics and /health");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };

        var (status, health) = await HealthAsync(http);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), health.ToString());
        Assert.That(Check(health, "ari").GetProperty("healthy").GetBoolean(), Is.True);
        Assert.That(Check(health, "rules").GetProperty("detail").GetString(), Is.EqualTo("version 1 in force"));
        Assert.That(health.GetProperty("failed").GetArrayLength(), Is.Zero);

        var phone = await served.PhoneAsync("accueil-1", "phone-answers.xml");
        var patient = Sipp.Patient(asterisk, "patient-hangs-up.xml", WaitingLine, Patient, holdMs: 2_000);
        await Sipp.AllSucceedAsync(patient, phone);
        var record = await served.FinishedRecordOfAsync(Patient);
        Assert.That((record.Outcome, record.AnsweredBy), Is.EqualTo((CallOutcomes.Answered, "accueil-1")), PracticeCalls.Describe(record));

        // The counter moves right after the record's commit, which FinishedRecordOfAsync saw: bounded poll for that instant.
        var metrics = await MetricsWhenAsync(http, text => text.Contains("pbxrouter_calls_total{practice=\"tilleuls\",outcome=\"answered\"} 1\n", StringComparison.Ordinal),
            "the answered call counted for tilleuls");
        var restCounts = Regex.Matches(metrics, "^pbxrouter_ari_rest_duration_seconds_count\\{resource=\"(\\w+)\",operation=\"(\\w+)\",method=\"(\\w+)\"\\} (\\d+)$", RegexOptions.Multiline)
            .ToDictionary(m => $"{m.Groups[1].Value}.{m.Groups[2].Value} {m.Groups[3].Value}", m => long.Parse(m.Groups[4].Value));
        Assert.Multiple(() =>
        {
            Assert.That(restCounts.GetValueOrDefault("applications.get GET"), Is.GreaterThanOrEqualTo(1), "the resync's read: " + string.Join(", ", restCounts));
            Assert.That(restCounts.Where(c => c.Key.StartsWith("channels.", StringComparison.Ordinal)).Sum(c => c.Value), Is.GreaterThan(0),
                "the call's commands: " + string.Join(", ", restCounts));
            Assert.That(metrics, Does.Contain("pbxrouter_ari_connected 1\n").And.Contain("pbxrouter_rules_version 1\n"));
            Assert.That(metrics, Does.Match("pbxrouter_sqlite_write_duration_seconds_count\\{writer=\"call_records\"\\} [1-9]"));
            Assert.That(metrics, Does.Contain("pbxrouter_queue_callers{practice=\"tilleuls\",queue=\"tilleuls.attente\"} 0\n"));
            Assert.That(metrics, Does.Not.Contain("0640000801").And.Not.Contain("+33640000801").And.Not.Contain(record.CallId), "no number nor call id in a label");
        });

        await asterisk.StopAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            (status, health) = await HealthAsync(http);
            if (status == HttpStatusCode.ServiceUnavailable) break;
            if (limit.IsCancellationRequested) Assert.Fail($"/health still {status} 60 s after Asterisk stopped: {health}\n{served.Engine.Output}");
            await Task.Delay(200);
        }
        Assert.That(health.GetProperty("failed").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "ari" }));
        Assert.That(Check(health, "ari").GetProperty("detail").GetString(), Does.StartWith("not connected"));
        Assert.That(await MetricsWhenAsync(http, text => text.Contains("pbxrouter_ari_connected 0\n", StringComparison.Ordinal), "ARI disconnected"),
            Does.Contain("pbxrouter_ari_connection_state{state=\"connected\"} 0\n").And.Contain("pbxrouter_ari_reconnects_total 0\n"));

        // Asterisk back: the engine reconnects, /health is 200 again and the reconnect is counted.
        await asterisk.StartAsync();
        using var back = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            (status, health) = await HealthAsync(http);
            if (status == HttpStatusCode.OK) break;
            if (back.IsCancellationRequested) Assert.Fail($"/health still {status} 90 s after Asterisk started again: {health}\n{served.Engine.Output}");
            await Task.Delay(200);
        }
        Assert.That(await http.GetStringAsync("metrics"), Does.Contain("pbxrouter_ari_reconnects_total 1\n").And.Contain("pbxrouter_ari_connected 1\n"));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static JsonElement Check(JsonElement health, string name) =>
        health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<string> MetricsWhenAsync(HttpClient http, Func<string, bool> ready, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var text = await http.GetStringAsync("metrics");
            if (ready(text)) return text;
            if (limit.IsCancellationRequested) Assert.Fail($"/metrics never showed {what}:\n{text}");
            await Task.Delay(200);
        }
    }
}
