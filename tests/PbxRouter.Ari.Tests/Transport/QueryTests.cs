using PbxRouter.Ari.Transport;

namespace PbxRouter.Ari.Tests.Transport;

public class QueryTests
{
    [Test]
    public void Path_EscapesIdsButNotLiterals() =>
        Assert.That((string)Query.Path("recordings/stored/", "vm/tilleuls 1", "/file"), Is.EqualTo("recordings/stored/vm%2Ftilleuls%201/file"));

    [Test]
    public void Add_SkipsNulls_EscapesValues_AndFormatsNumbersAndBooleans()
    {
        string q = Query.Path("channels/", "c1", "/record")
            .Add("name", "a&b").Add("format", (string?)null).Add("maxDurationSeconds", 30).Add("beep", false).Add("priority", (long?)null);

        Assert.That(q, Is.EqualTo("channels/c1/record?name=a%26b&maxDurationSeconds=30&beep=false"));
    }
}
