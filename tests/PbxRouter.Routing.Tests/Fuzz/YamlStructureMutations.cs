using System.Text;
using PbxRouter.Fuzzing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PbxRouter.Routing.Tests.Fuzz;

/// <summary>Structure-aware changes to a YAML document: a key dropped, a value replaced by a hostile scalar or a tag,
/// types swapped, a subtree of another seed grafted, a list fanned out into many aliases of one item.</summary>
internal static class YamlStructureMutations
{
    private static readonly string[] Tags =
        ["tag:yaml.org,2002:python/object/apply:os.system", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:int", "tag:yaml.org,2002:map", "!custom"];

    public static byte[]? Mutate(Random rng, byte[] input, IReadOnlyList<byte[]> seeds)
    {
        if (Load(input) is not { } root || Slots(root) is not { Count: > 0 } slots) return null;
        var (parent, replace, node) = slots[rng.Next(slots.Count)];
        switch (rng.Next(6))
        {
            case 0 when parent is YamlMappingNode map:
                map.Children.Remove(map.Children.First(kv => ReferenceEquals(kv.Value, node)).Key);
                break;
            case 1:
                var value = HostileValues.Scalars[rng.Next(HostileValues.Scalars.Count)];
                replace(new YamlScalarNode(value) { Style = (ScalarStyle)rng.Next(1, 6) });
                break;
            case 2:
                replace(Swapped(node));
                break;
            case 3 when Load(seeds[rng.Next(seeds.Count)]) is { } other && Slots(other) is { Count: > 0 } grafts:
                replace(grafts[rng.Next(grafts.Count)].Node);
                break;
            case 4 when node is YamlSequenceNode { Children.Count: > 0 } seq:
                var one = seq.Children[rng.Next(seq.Children.Count)];
                if (one.Anchor.IsEmpty) one.Anchor = new AnchorName("fan" + rng.Next(100));
                var copies = 2 + rng.Next(rng.Next(2) == 0 ? 8 : 200);
                replace(new YamlSequenceNode(Enumerable.Repeat(one, copies)));
                break;
            default:
                node.Tag = new TagName(Tags[rng.Next(Tags.Length)]);
                break;
        }
        return Save(root);
    }

    private static YamlNode? Load(byte[] input)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Encoding.UTF8.GetString(input)));
            return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (Exception)
        {
            return null; // not YAML (YamlDotNet throws several exception types on malformed input; the reader's own tests see them)
        }
    }

    private static byte[]? Save(YamlNode root)
    {
        try
        {
            var writer = new StringWriter();
            new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
            return Encoding.UTF8.GetBytes(writer.ToString());
        }
        catch (Exception e) when (e is YamlException or ArgumentException or InvalidOperationException)
        {
            return null; // the emitter refused a combination (e.g. a style the value cannot take): no mutation this time
        }
    }

    private static YamlNode Swapped(YamlNode node) => node switch
    {
        YamlMappingNode map => new YamlSequenceNode(map.Children.Values),
        YamlSequenceNode seq => new YamlMappingNode(seq.Children.Select((c, i) => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode($"k{i}"), c))),
        _ => new YamlSequenceNode(node),
    };

    /// <summary>Every value of the tree with a way to replace it; null when a value is reached twice (aliases, maybe recursive)
    /// or a key is not a plain scalar (YamlDotNet hashes keys by content, which never ends on a recursive key).</summary>
    private static List<(YamlNode? Parent, Action<YamlNode> Replace, YamlNode Node)>? Slots(YamlNode root)
    {
        var slots = new List<(YamlNode?, Action<YamlNode>, YamlNode)>();
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode? Parent, Action<YamlNode> Replace, YamlNode Node, int Depth)>();
        pending.Push((null, _ => { }, root, 0));
        while (pending.TryPop(out var item))
        {
            if (item.Depth > 100 || !seen.Add(item.Node)) return null;
            slots.Add((item.Parent, item.Replace, item.Node));
            if (item.Node is YamlMappingNode map)
            {
                if (map.Children.Keys.Any(k => k is not YamlScalarNode)) return null;
                foreach (var key in map.Children.Keys.ToList())
                    pending.Push((map, n => map.Children[key] = n, map.Children[key], item.Depth + 1));
            }
            else if (item.Node is YamlSequenceNode seq)
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var index = i;
                    pending.Push((seq, n => seq.Children[index] = n, seq.Children[i], item.Depth + 1));
                }
        }
        return slots;
    }
}
