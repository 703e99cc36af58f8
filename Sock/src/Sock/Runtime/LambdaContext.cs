namespace Sock.Runtime;

/// <summary>
/// The context of one invocation. The runtime client fills it from the Runtime API and the environment; tests
/// construct it directly: every property has a default and can be set with an initializer.
/// </summary>
public sealed class LambdaContext : ILambdaContext
{
    private ILambdaLogger? _logger;

    public string AwsRequestId { get; init; } = "00000000-0000-0000-0000-000000000000";

    public string FunctionName { get; init; } = "test-function";

    public string FunctionVersion { get; init; } = "$LATEST";

    public string InvokedFunctionArn { get; init; } = "arn:aws:lambda:us-east-1:012345678912:function:test-function";

    public int MemoryLimitInMB { get; init; } = 512;

    public string LogGroupName { get; init; } = "/aws/lambda/test-function";

    public string LogStreamName { get; init; } = "$LATEST";

    public string TraceId { get; init; } = string.Empty;

    /// <summary>When Lambda stops the invocation; by default 30 seconds after this context was created.</summary>
    public DateTimeOffset Deadline { get; init; } = DateTimeOffset.UtcNow.AddSeconds(30);

    public TimeSpan RemainingTime => Deadline - DateTimeOffset.UtcNow;

    /// <summary>By default a <see cref="LambdaLogger"/> for this request id writing to standard output.</summary>
    public ILambdaLogger Logger
    {
        get => _logger ??= new LambdaLogger(AwsRequestId, TraceId);
        init => _logger = value;
    }
}
