using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sock.Runtime;

/// <summary>
/// A zero-dependency Lambda runtime: the init phase, then the invoke loop against the Runtime API.
/// <list type="bullet">
/// <item>Init: <c>initialize</c> runs once (construct the function there). If it throws, the exception is
/// logged and posted to /runtime/init/error, and the process exits with code 1.</item>
/// <item>Each event: its JSON is read with the source-generated metadata, the handler runs, and its result is
/// posted to /response. If anything throws, the exception is logged and posted to /error with the
/// Lambda-Runtime-Function-Error-Type header, and the loop goes on.</item>
/// <item>If the Runtime API is unreachable or answers 5xx, the process exits with code 1.</item>
/// </list>
/// </summary>
public static class LambdaRuntime
{
    /// <summary>Runs a synchronous handler; input and output metadata come from <paramref name="json"/>.</summary>
    public static Task<int> RunAsync<TInput, TOutput>(
        Func<Func<TInput, ILambdaContext, TOutput>> initialize,
        JsonSerializerContext json,
        CancellationToken cancellationToken = default) =>
        RunAsync(
            () =>
            {
                var (input, output) = (TypeInfo<TInput>(json), TypeInfo<TOutput>(json));
                var handler = initialize();
                return Bind<TInput, TOutput>((value, context) => Task.FromResult(handler(value, context)), input, output);
            },
            cancellationToken);

    /// <summary>Runs an asynchronous handler; input and output metadata come from <paramref name="json"/>.</summary>
    public static Task<int> RunAsync<TInput, TOutput>(
        Func<Func<TInput, ILambdaContext, Task<TOutput>>> initialize,
        JsonSerializerContext json,
        CancellationToken cancellationToken = default) =>
        RunAsync(
            () =>
            {
                var (input, output) = (TypeInfo<TInput>(json), TypeInfo<TOutput>(json));
                return Bind(initialize(), input, output);
            },
            cancellationToken);

    /// <summary>Runs an asynchronous handler with explicit JSON metadata.</summary>
    public static Task<int> RunAsync<TInput, TOutput>(
        Func<Func<TInput, ILambdaContext, Task<TOutput>>> initialize,
        JsonTypeInfo<TInput> input,
        JsonTypeInfo<TOutput> output,
        CancellationToken cancellationToken = default) =>
        RunAsync(() => Bind(initialize(), input, output), cancellationToken);

    /// <summary>
    /// Runs a handler of raw UTF-8 JSON: the init phase, then the invoke loop until the Runtime API fails or
    /// <paramref name="cancellationToken"/> is cancelled. Returns the process exit code.
    /// </summary>
    public static async Task<int> RunAsync(
        Func<Func<byte[], ILambdaContext, Task<byte[]>>> initialize,
        CancellationToken cancellationToken = default)
    {
        var environment = new FunctionEnvironment();
        environment.ApplyMemoryLimit();
        var runtimeLogger = new LambdaLogger();
        RuntimeApiClient api;
        try
        {
            api = RuntimeApiClient.FromEnvironment();
        }
        catch (RuntimeApiException exception)
        {
            runtimeLogger.LogCritical(exception.Message);
            return 1;
        }

        Func<byte[], ILambdaContext, Task<byte[]>> handler;
        try
        {
            handler = initialize();
        }
        catch (Exception exception)
        {
            runtimeLogger.LogError(exception, "Init failed");
            try
            {
                await api.ReportInitializationErrorAsync(exception, cancellationToken);
            }
            catch (Exception reportFailure)
            {
                runtimeLogger.LogCritical(reportFailure, "Could not report the init error");
            }

            return 1;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await api.NextAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                runtimeLogger.LogCritical(exception, "The Runtime API failed; exiting");
                return 1;
            }

            if (!await InvokeAsync(api, handler, invocation, environment, cancellationToken))
            {
                return 1;
            }
        }

        return 0;
    }

    /// <summary>Handles one event; false when the Runtime API failed fatally.</summary>
    private static async Task<bool> InvokeAsync(
        RuntimeApiClient api,
        Func<byte[], ILambdaContext, Task<byte[]>> handler,
        Invocation invocation,
        FunctionEnvironment environment,
        CancellationToken cancellationToken)
    {
        // X-Ray SDKs read the trace header of the current invocation from this variable.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId.Length > 0 ? invocation.TraceId : null);
        var context = new LambdaContext
        {
            AwsRequestId = invocation.RequestId,
            InvokedFunctionArn = invocation.InvokedFunctionArn,
            Deadline = invocation.Deadline,
            TraceId = invocation.TraceId,
            FunctionName = environment.FunctionName,
            FunctionVersion = environment.FunctionVersion,
            MemoryLimitInMB = environment.MemoryLimitInMB,
            LogGroupName = environment.LogGroupName,
            LogStreamName = environment.LogStreamName,
        };

        byte[] response;
        try
        {
            response = await handler(invocation.Payload, context);
        }
        catch (Exception exception)
        {
            context.Logger.LogError(exception, string.Empty);
            return await TryAsync(api.ReportInvocationErrorAsync(invocation.RequestId, exception, cancellationToken), context);
        }

        return await TryAsync(api.SendResponseAsync(invocation.RequestId, response, cancellationToken), context);
    }

    /// <summary>Awaits a post; a rejected post (4xx) is logged and the loop goes on, an API failure ends it.</summary>
    private static async Task<bool> TryAsync(Task post, LambdaContext context)
    {
        try
        {
            await post;
            return true;
        }
        catch (RuntimeApiException exception) when (!exception.IsFatal)
        {
            context.Logger.LogError(exception.Message);
            return true;
        }
        catch (Exception exception)
        {
            context.Logger.LogCritical(exception, "The Runtime API failed; exiting");
            return false;
        }
    }

    private static Func<byte[], ILambdaContext, Task<byte[]>> Bind<TInput, TOutput>(
        Func<TInput, ILambdaContext, Task<TOutput>> handler,
        JsonTypeInfo<TInput> input,
        JsonTypeInfo<TOutput> output) =>
        async (payload, context) =>
        {
            // A JSON null event reaches the handler as null (as with RuntimeSupport's serializer).
            var value = JsonSerializer.Deserialize(payload, input);
            var result = await handler(value!, context);

            // Escaping only what JSON requires, as RuntimeSupport's serializer does.
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, LambdaError.WriterOptions))
            {
                JsonSerializer.Serialize(writer, result, output);
            }

            return buffer.WrittenSpan.ToArray();
        };

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerContext json) =>
        json.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException(
            $"{json.GetType().Name} has no JSON metadata for {typeof(T)}: add [JsonSerializable(typeof(...))] for it.");

    /// <summary>The function's settings, read once from the environment Lambda gives the runtime.</summary>
    private sealed class FunctionEnvironment
    {
        public string FunctionName { get; } = Variable("AWS_LAMBDA_FUNCTION_NAME", string.Empty);

        public string FunctionVersion { get; } = Variable("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");

        public int MemoryLimitInMB { get; } =
            int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var mb) ? mb : 0;

        public string LogGroupName { get; } = Variable("AWS_LAMBDA_LOG_GROUP_NAME", string.Empty);

        public string LogStreamName { get; } = Variable("AWS_LAMBDA_LOG_STREAM_NAME", string.Empty);

        /// <summary>
        /// As Amazon.Lambda.RuntimeSupport: caps the GC heap at the function's memory size, unless
        /// AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK is true or DOTNET_GCHeapHardLimit sets a limit already.
        /// </summary>
        public void ApplyMemoryLimit()
        {
            if (MemoryLimitInMB <= 0
                || Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") is not null
                || string.Equals(Environment.GetEnvironmentVariable("AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK"), "true", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            AppContext.SetData("GCHeapHardLimit", (ulong)MemoryLimitInMB * 1024 * 1024);
            GC.RefreshMemoryLimit();
        }

        private static string Variable(string name, string fallback) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
    }
}
