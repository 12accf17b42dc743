using System.Text.Json;
using PbxRouter.Ari.Events;
using PbxRouter.Ari.Tests.Support;
using PbxRouter.Fuzzing;

namespace PbxRouter.Ari.Tests.Fuzz;

/// <summary>Random and mutated WebSocket frames: the decoder decodes them or reports them undecodable, never throws into the
/// reading loop, and what it decodes is complete enough for consumers. Seed and count: see <see cref="FuzzSettings"/>.</summary>
[Category("Fuzz")]
public class AriEventFuzzTests
{
    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\\u0000", "null", "true", "false", "-", ".", "e", "E+", "0", "1e309",
        "\"type\":", "\"channel\":", "\"type\":\"StasisStart\"", "\"channel\":null", "\"args\":[null]", "/*", "//", "\uFEFF", "NaN",
        .. AriEventDecoder.KnownTypes.Select(t => $"\"{t}\""),
    ];

    private static readonly Lazy<Mutator> Frames = new(() => new Mutator(AriEventSeeds.All(), JsonTokens, JsonStructureMutations.Mutate));

    private AriClient _client = null!;
    private CallEventQueues _queues = null!;
    private Exception? _consumerFailure;

    [SetUp]
    public void SetUp()
    {
        _client = TestClients.Create(new FakeAriHandler());
        _queues = new CallEventQueues((_, _) => ValueTask.CompletedTask, new ListLogger());
        _client.EventReceived += Consume;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _queues.DisposeAsync();
        await _client.DisposeAsync();
    }

    [Test]
    public void Decode_FuzzedFrames_DecodesOrReportsThemWithoutThrowing()
    {
        var report = FuzzRunner.Run("ari-events", FuzzSettings.FromEnvironment(defaultIterations: 60_000), Frames.Value, TryFrame,
            TestContext.Progress.WriteLine);

        TestContext.Out.WriteLine(report.Summary);
        if (report.Failure is { } failure) Assert.Fail(failure.ToString());
        Assert.That(report.Inputs, Is.GreaterThan(0), "no input was tried");
    }

    private string TryFrame(byte[] frame)
    {
        var status = AriEventDecoder.TryDecode(frame, out var evt, out _, out var error);
        FuzzAssert.That(status != AriDecodeStatus.Invalid || error is not null, "an invalid frame without its error");
        FuzzAssert.That(status != AriDecodeStatus.Decoded || evt is not null, "a decoded frame without its event");
        if (evt is not null) DecodedEventChecks.Check(evt);
        try
        {
            AriEventDecoder.Decode(frame);
        }
        catch (JsonException)
        {
            // the documented failure of the public decoder
        }
        _consumerFailure = null;
        _client.Events.Dispatch(frame);
        if (_consumerFailure is { } failure) throw new FuzzContractException("a consumer failed on the decoded event: " + failure);
        return status.ToString();
    }

    /// <summary>What the engine's handler does on the reading loop: find the call queue of the event.</summary>
    private void Consume(AriEvent e)
    {
        try
        {
            _queues.KeyOf(e);
        }
        catch (Exception ex)
        {
            _consumerFailure = ex;
        }
    }
}
