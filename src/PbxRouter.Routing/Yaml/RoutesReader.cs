using PbxRouter.Routing.Model;
using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing;

/// <summary>Reads routes (steps per state), modes and feature codes.</summary>
internal static class RoutesReader
{
    private const string StepHint = "a step is one of greeting, queue, overflow, escalate, hangup, or announce: <message>, voicemail: <box>, forward: <number or activating_phone>";

    private static readonly IReadOnlyDictionary<string, StepKind> Words = new Dictionary<string, StepKind>
    {
        ["greeting"] = StepKind.Greeting, ["queue"] = StepKind.Queue, ["overflow"] = StepKind.Overflow,
        ["escalate"] = StepKind.Escalate, ["hangup"] = StepKind.Hangup,
        ["announce"] = StepKind.Announce, ["voicemail"] = StepKind.Voicemail, ["forward"] = StepKind.Forward,
    };

    /// <summary>The forward target meaning "the mobile of the phone that switched the mode on".</summary>
    public const string ActivatingPhone = "activating_phone";

    public static IReadOnlyDictionary<PracticeState, StateRoute> ReadRoutes(MapReader parent)
    {
        var routes = new Dictionary<PracticeState, StateRoute>();
        if (parent.Map("routes", "the routes", YamlKeys.Routes) is not { } r) return routes;
        foreach (var (key, state) in YamlKeys.States)
            if (r.Has(key))
                routes[state] = new StateRoute(state, ReadSteps(r.Ctx, r.Value(key)!, r.FieldPath(key)), r.FieldAt(key));
        return routes;
    }

    public static List<StepRule> ReadSteps(ReaderContext ctx, YamlNode node, string path)
    {
        var steps = new List<StepRule>();
        if (node is not YamlSequenceNode seq)
        {
            ctx.Error(node, path, RuleErrorCodes.WrongType, $"steps must be a list, found {ReaderContext.Describe(node)}.", "e.g. [greeting, queue, overflow]");
            return steps;
        }
        for (var i = 0; i < seq.Children.Count; i++)
            if (ReadStep(ctx, seq.Children[i], $"{path}[{i}]") is { } step) steps.Add(step);
        return steps;
    }

    private static StepRule? ReadStep(ReaderContext ctx, YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } word })
        {
            if (YamlKeys.StepWords.Contains(word)) return new StepRule(Words[word], null, ctx.At(node, path));
            var hint = YamlKeys.StepWithArgument.Contains(word) ? $"'{word}' needs a value: {word}: <name>" : Suggest.DidYouMean(word, Words.Keys) ?? StepHint;
            ctx.Error(node, path, RuleErrorCodes.InvalidValue, $"'{word}' is not a step.", hint);
            return null;
        }
        if (node is YamlMappingNode { Children.Count: 1 } map && map.Children.First() is var (k, v) && k is YamlScalarNode { Value: { } name })
        {
            var stepPath = $"{path}.{name}";
            if (!YamlKeys.StepWithArgument.Contains(name))
            {
                ctx.Error(k, stepPath, RuleErrorCodes.UnknownField, $"'{name}' is not a step with a value.",
                    YamlKeys.StepWords.Contains(name) ? $"write it alone: - {name}" : Suggest.DidYouMean(name, YamlKeys.StepWithArgument) ?? StepHint);
                return null;
            }
            return MapReader.ScalarOf(ctx, v, stepPath) is { } arg ? new StepRule(Words[name], arg.Value, arg.At) : null;
        }
        ctx.Error(node, path, RuleErrorCodes.WrongType, $"expected a step, found {ReaderContext.Describe(node)}.", StepHint);
        return null;
    }

    public static Mode? ReadMode(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a mode", YamlKeys.Mode) is not { } r || r.Id() is not { } id) return null;
        if (!r.Has("steps")) r.Missing("steps", "what happens to calls in this mode, e.g. steps: [greeting, overflow]");
        HashSet<PracticeState>? during = null;
        if (r.Has("during"))
        {
            during = [];
            foreach (var s in r.ScalarList("during"))
                if (YamlKeys.States.TryGetValue(s.Value, out var state)) during.Add(state);
                else ctx.Diagnostics.Error(s.At, RuleErrorCodes.InvalidValue, $"'{s.Value}' is not a state.",
                    (Suggest.DidYouMean(s.Value, YamlKeys.Routes) is { } m ? m + " " : "") + $"use {string.Join(", ", YamlKeys.Routes)}");
        }
        return new Mode
        {
            Id = id, Name = r.Text("name"), Steps = r.Has("steps") ? ReadSteps(ctx, r.Value("steps")!, r.FieldPath("steps")) : [],
            During = during, Lines = r.Has("lines") ? r.ScalarList("lines") : null, At = r.At,
        };
    }

    public static FeatureCodes? ReadFeatureCodes(MapReader parent)
    {
        if (parent.Map("feature_codes", "the feature codes", YamlKeys.FeatureCodes) is not { } r) return null;
        return new FeatureCodes
        {
            PinEnv = r.EnvName("pin_env", required: false),
            WithoutPin = r.ScalarList("without_pin"),
            Codes = r.List("codes", (n, p) => ReadFeatureCode(r.Ctx, n, p)),
            At = r.At,
        };
    }

    private static FeatureCode? ReadFeatureCode(ReaderContext ctx, YamlNode node, string path)
    {
        if (MapReader.Open(ctx, node, path, "a feature code", YamlKeys.FeatureCode) is not { } r) return null;
        var code = r.Scalar("code", required: true, "quote it: code: \"*21\"");
        if (code is { } c && (c.Value.Length is 0 or > 10 || !c.Value.All(ch => char.IsAsciiDigit(ch) || ch is '*' or '#')))
            ctx.Diagnostics.Error(c.At, RuleErrorCodes.InvalidValue, $"'{c.Value}' is not a feature code.", "use digits, * and #, quoted, e.g. \"*21\"");
        var actions = new[] { "activate", "toggle", "cancel", "voicemail" }.Where(r.Has).ToList();
        if (actions.Count != 1)
        {
            ctx.Error(node, path, actions.Count == 0 ? RuleErrorCodes.MissingField : RuleErrorCodes.InvalidValue,
                actions.Count == 0 ? "a feature code needs an action." : $"a feature code does one thing, found {string.Join(" and ", actions)}.",
                "use one of activate: <mode>, toggle: <mode>, cancel: true (or cancel: <mode>), voicemail: <box>");
            return null;
        }
        var action = actions[0] switch { "activate" => FeatureAction.Activate, "toggle" => FeatureAction.Toggle, "cancel" => FeatureAction.Cancel, _ => FeatureAction.Voicemail };
        var target = r.Scalar(actions[0]);
        if (action == FeatureAction.Cancel && target is { Value: "true" }) target = null;
        if (code is null) return null;
        return new FeatureCode
        {
            Code = code.Value, Action = action, Target = target,
            WithoutPin = r.Has("without_pin") ? r.ScalarList("without_pin") : null, At = r.At,
        };
    }
}
