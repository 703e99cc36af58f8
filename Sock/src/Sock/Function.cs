using Sock.Runtime;

namespace Sock;

/// <summary>
/// The Lambda function: constructed once per execution environment, then called for every event.
/// </summary>
public partial class Function
{
    /// <summary>
    /// The init phase: runs once, before the first event. Create clients and read configuration here; an
    /// exception fails the init, and Lambda reports it to the caller.
    /// </summary>
    public Function()
    {
    }

    /// <summary>Returns the event, a JSON string, in upper case.</summary>
    public string FunctionHandler(string? input, ILambdaContext context)
    {
        context.Logger.LogInformation($"Upper-casing {input?.Length ?? 0} characters");
        return input?.ToUpperInvariant() ?? string.Empty;
    }

    /// <summary>
    /// Entry point: runs the built-in Lambda Runtime API client (Runtime/LambdaRuntime.cs). Constructing
    /// <see cref="Function"/> is the init phase; every event then goes to <see cref="FunctionHandler"/>, with
    /// JSON through the source-generated <see cref="LambdaJsonContext"/>.
    /// </summary>
    private static Task<int> Main() =>
        LambdaRuntime.RunAsync<string, string>(
            static () => new Function().FunctionHandler,
            LambdaJsonContext.Default);
}
