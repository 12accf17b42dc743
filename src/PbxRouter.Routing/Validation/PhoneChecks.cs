using PbxRouter.Routing.Model;

namespace PbxRouter.Routing;

/// <summary>A phone's line and voicemail box exist in its practice, as do a box's owner phones; an extension cannot hide outside numbers.</summary>
internal static class PhoneChecks
{
    public static void Check(Practice practice, Diagnostics d)
    {
        var lines = practice.Lines.Select(l => l.Id.Value).ToHashSet();
        var boxes = practice.VoicemailBoxes.Select(b => b.Id.Value).ToHashSet();
        foreach (var phone in practice.Phones)
        {
            if (phone.Line is { } line) RulesValidator.Known(line, lines, "line", d);
            if (phone.Voicemail is { } box) RulesValidator.Known(box, boxes, "voicemail box", d);
            // Outside numbers start with 0 (0X XX XX XX XX, 00 for abroad): an extension starting with 0 would be dialled instead.
            if (phone.Extension is { } ext && ext.Value.StartsWith('0'))
                d.Error(ext.At, RuleErrorCodes.FeatureCodePrefix, $"extension {ext.Value} of phone '{phone.Id.Value}' starts with 0, like outside numbers.",
                    "start extensions with 1-9, e.g. extension: \"201\"");
        }
        var phones = practice.Phones.Select(p => p.Id.Value).ToHashSet();
        foreach (var box in practice.VoicemailBoxes)
            foreach (var owner in box.OwnerPhones) RulesValidator.Known(owner, phones, "phone", d);
    }
}
