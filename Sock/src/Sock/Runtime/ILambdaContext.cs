namespace Sock.Runtime;

/// <summary>
/// What a handler knows about its invocation and environment: the members of Amazon.Lambda.Core's
/// ILambdaContext that a function uses (ClientContext and Identity, for mobile-SDK invokes, are left out), so
/// handler code moves between this client and Amazon.Lambda.RuntimeSupport by changing one using.
/// </summary>
public interface ILambdaContext
{
    /// <summary>The invocation id (Lambda-Runtime-Aws-Request-Id).</summary>
    string AwsRequestId { get; }

    /// <summary>AWS_LAMBDA_FUNCTION_NAME.</summary>
    string FunctionName { get; }

    /// <summary>AWS_LAMBDA_FUNCTION_VERSION, e.g. $LATEST.</summary>
    string FunctionVersion { get; }

    /// <summary>The ARN the caller invoked: function, version or alias.</summary>
    string InvokedFunctionArn { get; }

    /// <summary>AWS_LAMBDA_FUNCTION_MEMORY_SIZE.</summary>
    int MemoryLimitInMB { get; }

    /// <summary>Time left before Lambda stops the invocation.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>AWS_LAMBDA_LOG_GROUP_NAME.</summary>
    string LogGroupName { get; }

    /// <summary>AWS_LAMBDA_LOG_STREAM_NAME.</summary>
    string LogStreamName { get; }

    /// <summary>The X-Ray trace header of the invocation (also in _X_AMZN_TRACE_ID); empty when there is none.</summary>
    string TraceId { get; }

    /// <summary>Writes Lambda-format log lines tagged with the request id.</summary>
    ILambdaLogger Logger { get; }
}

/// <summary>
/// Log methods with the names of Amazon.Lambda.Core's ILambdaLogger. Lines below AWS_LAMBDA_LOG_LEVEL
/// (default INFO) are dropped.
/// </summary>
public interface ILambdaLogger
{
    /// <summary>Writes the message at Information level.</summary>
    void Log(string message);

    /// <summary>Writes the message at Information level.</summary>
    void LogLine(string message);

    void LogTrace(string message);

    void LogDebug(string message);

    void LogInformation(string message);

    void LogWarning(string message);

    void LogWarning(Exception exception, string message);

    void LogError(string message);

    void LogError(Exception exception, string message);

    void LogCritical(string message);

    void LogCritical(Exception exception, string message);
}
