using System.Text.Json;
using System.Text.Json.Nodes;
using Sock.Runtime;

namespace Sock.Tests;

public class FunctionTests
{
    /// <summary>What events/event.json must produce (the generator's catalogue holds the same value).</summary>
    private const string ExpectedResponse = "\"HELLO WORLD\"";

    private readonly Function _function = new();
    private readonly LambdaContext _context = new();

    [Fact]
    public void SampleEventGivesTheExpectedResponse()
    {
        var input = JsonSerializer.Deserialize(ReadEvent("event.json"), LambdaJsonContext.Default.String);

        var response = _function.FunctionHandler(input, _context);

        AssertJson(ExpectedResponse, JsonSerializer.Serialize(response, LambdaJsonContext.Default.String));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void EmptyOrNullInputGivesAnEmptyString(string? input)
    {
        Assert.Equal(string.Empty, _function.FunctionHandler(input, _context));
    }

    private static string ReadEvent(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", name));

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, got {actual}");
}
