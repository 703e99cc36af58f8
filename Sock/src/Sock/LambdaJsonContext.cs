using System.Text.Json.Serialization;

namespace Sock;

/// <summary>
/// System.Text.Json source generation for every type the function reads or writes. NativeAOT has no
/// reflection-based serialization: a type missing here fails at run time, so add each new input, output or
/// nested payload type as another [JsonSerializable(typeof(T))].
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(string))]
public partial class LambdaJsonContext : JsonSerializerContext
{
}
