// A what-if for the switch study (bench/switch-sets.ts, set `before-socket-client`), not a product file: the
// built-in client's RuntimeApiClient.cs as it was before it moved to HTTP/1.1 over one Socket (commit 289d00d),
// on HttpClient with SocketsHttpHandler. Kept so one bench run records what the socket client buys in size,
// memory and cold start. __NAMESPACE__ is replaced with the project's namespace before the build.
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace __NAMESPACE__.Runtime;

/// <summary>One event from GET /runtime/invocation/next.</summary>
public sealed record Invocation(
    string RequestId,
    byte[] Payload,
    DateTimeOffset Deadline,
    string InvokedFunctionArn,
    string TraceId);

/// <summary>The Runtime API failed or answered with an unexpected status.</summary>
public sealed class RuntimeApiException : Exception
{
    public RuntimeApiException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status, or null when the API could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// The runtime must exit: the API is unreachable, or answered 5xx, which means "non-recoverable". A 4xx on a
    /// response or error post (stale id, payload too large) only loses that invocation.
    /// </summary>
    public bool IsFatal => StatusCode is null || (int)StatusCode >= 500;
}

/// <summary>
/// Client of the Lambda Runtime API (http://$AWS_LAMBDA_RUNTIME_API/2018-06-01), as Amazon.Lambda.RuntimeSupport
/// uses it: one HttpClient over a SocketsHttpHandler, no timeout (Lambda freezes the process while GET /next
/// waits), responses posted as application/json and expected to be answered 202.
/// </summary>
public sealed class RuntimeApiClient
{
    /// <summary>Header of /error and /init/error naming the error type.</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly string UserAgent =
        $"aws-lambda-dotnet-minimal/{Environment.Version}{(RuntimeFeature.IsDynamicCodeSupported ? string.Empty : "-aot")}";

    private static readonly HttpClient Http = CreateHttpClient();

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly string _baseUrl;

    /// <param name="hostAndPort">AWS_LAMBDA_RUNTIME_API: host:port, no scheme.</param>
    public RuntimeApiClient(string hostAndPort)
    {
        _baseUrl = $"http://{hostAndPort}/2018-06-01/runtime/";
    }

    /// <summary>A client for AWS_LAMBDA_RUNTIME_API.</summary>
    /// <exception cref="RuntimeApiException">The variable is not set.</exception>
    public static RuntimeApiClient FromEnvironment()
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(api))
        {
            throw new RuntimeApiException(
                "AWS_LAMBDA_RUNTIME_API is not set: this executable is a Lambda runtime. Deploy it, or run it locally " +
                "with `aot-lambda invoke <executable> --event events/event.json`.");
        }

        return new RuntimeApiClient(api.Trim());
    }

    /// <summary>Waits for the next event (GET /runtime/invocation/next).</summary>
    // The synchronous surface that Runtime/LambdaRuntime.cs calls since the client moved to blocking glibc calls.
    public Invocation Next(CancellationToken cancellationToken = default) => NextAsync(cancellationToken).GetAwaiter().GetResult();

    public void SendResponse(string requestId, byte[] json, CancellationToken cancellationToken = default) =>
        SendResponseAsync(requestId, json, cancellationToken).GetAwaiter().GetResult();

    public void ReportInvocationError(string requestId, Exception exception, CancellationToken cancellationToken = default) =>
        ReportInvocationErrorAsync(requestId, exception, cancellationToken).GetAwaiter().GetResult();

    public void ReportInitializationError(Exception exception, CancellationToken cancellationToken = default) =>
        ReportInitializationErrorAsync(exception, cancellationToken).GetAwaiter().GetResult();

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken = default)
    {
        const string What = "GET /runtime/invocation/next";
        HttpResponseMessage response;
        try
        {
            response = await Http.GetAsync(_baseUrl + "invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new RuntimeApiException($"{What} failed: {exception.Message}", null, exception);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw await FailureAsync(response, What, cancellationToken);
            }

            var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id");
            if (string.IsNullOrEmpty(requestId))
            {
                throw new RuntimeApiException($"{What} answered without a Lambda-Runtime-Aws-Request-Id header.", response.StatusCode);
            }

            var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), out var deadlineMs)
                ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
                : DateTimeOffset.MaxValue;
            var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new Invocation(
                requestId,
                payload,
                deadline,
                Header(response, "Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
                Header(response, "Lambda-Runtime-Trace-Id") ?? string.Empty);
        }
    }

    /// <summary>Posts the handler's JSON result (POST /runtime/invocation/{id}/response).</summary>
    public Task SendResponseAsync(string requestId, byte[] json, CancellationToken cancellationToken = default) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", json, null, cancellationToken);

    /// <summary>Reports a handler exception (POST /runtime/invocation/{id}/error).</summary>
    public Task ReportInvocationErrorAsync(string requestId, Exception exception, CancellationToken cancellationToken = default) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", LambdaError.ToJson(exception), LambdaError.ErrorType(exception), cancellationToken);

    /// <summary>Reports an init-phase exception (POST /runtime/init/error); the runtime exits afterwards.</summary>
    public Task ReportInitializationErrorAsync(Exception exception, CancellationToken cancellationToken = default) =>
        PostAsync("init/error", LambdaError.ToJson(exception), LambdaError.ErrorType(exception), cancellationToken);

    private async Task PostAsync(string path, byte[] body, string? errorType, CancellationToken cancellationToken)
    {
        var what = $"POST /runtime/{path}";
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + path) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        HttpResponseMessage response;
        try
        {
            response = await Http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new RuntimeApiException($"{what} failed: {exception.Message}", null, exception);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw await FailureAsync(response, what, cancellationToken);
            }
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static async Task<RuntimeApiException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Length > 1024)
        {
            body = body[..1024] + "...";
        }

        return new RuntimeApiException($"{what} answered {(int)response.StatusCode}: {body}", response.StatusCode);
    }

    private static HttpClient CreateHttpClient()
    {
        // A bare SocketsHttpHandler: no HttpClientHandler wrapper, no proxy lookup (the API is local), no cookies.
        var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        return client;
    }
}
