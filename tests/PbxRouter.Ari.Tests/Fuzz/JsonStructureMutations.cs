using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxRouter.Ari.Events;
using PbxRouter.Fuzzing;

namespace PbxRouter.Ari.Tests.Fuzz;

/// <summary>Structure-aware changes to a JSON frame: a property dropped or duplicated, a value replaced by a hostile one
/// or by another type, the event type swapped (a StasisStart body under another name), a subtree of another seed grafted.</summary>
internal static class JsonStructureMutations
{
    private static readonly string[] HostileJson =
    [
        "null", "true", "0", "-1", "1e309", "-0.0", "99999999999999999999999999", "2147483648", "1.5", "\"\"", "{}", "[]", "[null]",
        "{\"id\":null}", "\"\\u0000\"", "\"\\ud800\"", "\"\\r\\nX-Injected: 1\"", "\"\\u001b[2J\"", "\"2025-01-20T10:15:42.318+1459\"",
        "\"0001-01-01T00:00:00.000+0100\"", "\"9999-12-31T23:59:59.999-1400\"", "\"2025-02-30T10:00:00.000+0100\"",
        new string('[', 70) + new string(']', 70), "\"" + new string('x', 100_000) + "\"",
    ];

    public static byte[]? Mutate(Random rng, byte[] input, IReadOnlyList<byte[]> seeds)
    {
        try
        {
            return MutateTree(rng, input, seeds);
        }
        catch (InvalidOperationException)
        {
            return null; // JsonNode refuses to write what it parsed lazily (e.g. an escaped lone surrogate): no change this time
        }
    }

    private static byte[]? MutateTree(Random rng, byte[] input, IReadOnlyList<byte[]> seeds)
    {
        if (Parse(input) is not JsonObject root) return null;
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0) return null;
        var (parent, key) = slots[rng.Next(slots.Count)];
        switch (rng.Next(6))
        {
            case 0:
                Remove(parent, key);
                break;
            case 1:
                Set(parent, key, HostileValue(rng));
                break;
            case 2:
                Set(parent, key, Get(parent, key) is JsonObject or JsonArray ? JsonValue.Create("swapped") : new JsonObject { ["x"] = Get(parent, key)?.DeepClone() });
                break;
            case 3:
                root["type"] = AriEventDecoder.KnownTypes[rng.Next(AriEventDecoder.KnownTypes.Count)];
                break;
            case 4 when Parse(seeds[rng.Next(seeds.Count)]) is JsonObject other && other.Count > 0:
                var graft = other.ElementAt(rng.Next(other.Count));
                Set(parent, key, graft.Value?.DeepClone());
                break;
            default:
                return Duplicated(rng, root, parent, key);
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static JsonNode? HostileValue(Random rng)
    {
        if (rng.Next(2) == 0) return JsonNode.Parse(HostileJson[rng.Next(HostileJson.Length)], null, new JsonDocumentOptions { MaxDepth = 256 });
        return JsonValue.Create(HostileValues.Scalars[rng.Next(HostileValues.Scalars.Count)]);
    }

    /// <summary>JsonObject cannot hold a key twice: the duplicate is written as text after the object's opening brace.</summary>
    private static byte[] Duplicated(Random rng, JsonObject root, JsonNode parent, object key)
    {
        var json = root.ToJsonString();
        if (parent is not JsonObject || key is not string name) return Encoding.UTF8.GetBytes(json);
        var extra = $"\"{name}\":{HostileValue(rng)?.ToJsonString() ?? "null"},";
        return Encoding.UTF8.GetBytes(json.Insert(1, extra));
    }

    /// <summary>The parsed frame, fully materialized (JsonObject reads its properties lazily); null when it is not JSON
    /// or holds a key twice, which JsonObject refuses.</summary>
    private static JsonNode? Parse(byte[] input)
    {
        try
        {
            var node = JsonNode.Parse(input);
            if (node is not null) Collect(node, []);
            return node;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        if (node is JsonObject obj)
            foreach (var (name, child) in obj.ToList())
            {
                slots.Add((obj, name));
                if (child is not null) Collect(child, slots);
            }
        else if (node is JsonArray array)
            for (var i = 0; i < array.Count; i++)
            {
                slots.Add((array, i));
                if (array[i] is { } child) Collect(child, slots);
            }
    }

    private static JsonNode? Get(JsonNode parent, object key) => key is string name ? parent[name] : parent[(int)key];

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (key is string name) parent[name] = value;
        else parent[(int)key] = value;
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (parent is JsonObject obj) obj.Remove((string)key);
        else ((JsonArray)parent).RemoveAt((int)key);
    }
}
