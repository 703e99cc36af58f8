// A what-if for the switch study (bench/switch-sets.ts, set `what-if-socket-client`), not a product file: the
// built-in client's RuntimeApiClient.cs with HttpClient replaced by HTTP/1.1 over a plain Socket, same public
// surface. The Runtime API is plain HTTP on loopback, so SocketsHttpHandler's TLS, HTTP/2, proxy and
// connection-pool code is dead weight in the executable; this measures how much. __NAMESPACE__ is replaced
// with the project's namespace before the build.
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

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

    public HttpStatusCode? StatusCode { get; }

    public bool IsFatal => StatusCode is null || (int)StatusCode >= 500;
}

public sealed class RuntimeApiClient
{
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private static readonly string UserAgent =
        $"aws-lambda-dotnet-minimal/{Environment.Version}{(RuntimeFeature.IsDynamicCodeSupported ? string.Empty : "-aot")}";

    private readonly string _hostAndPort;
    private readonly string _host;
    private readonly int _port;
    private Socket? _socket;
    private byte[] _buffer = new byte[16 * 1024];

    public RuntimeApiClient(string hostAndPort)
    {
        _hostAndPort = hostAndPort;
        var colon = hostAndPort.LastIndexOf(':');
        _host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        _port = colon < 0 ? 80 : int.Parse(hostAndPort[(colon + 1)..]);
    }

    public static RuntimeApiClient FromEnvironment()
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(api))
        {
            throw new RuntimeApiException("AWS_LAMBDA_RUNTIME_API is not set: this executable is a Lambda runtime.");
        }

        return new RuntimeApiClient(api.Trim());
    }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken = default)
    {
        const string What = "GET /runtime/invocation/next";
        var response = await SendAsync("GET", "invocation/next", null, null, What, cancellationToken);
        if (response.Status != HttpStatusCode.OK)
        {
            throw Failure(response, What);
        }

        var requestId = response.Header("Lambda-Runtime-Aws-Request-Id");
        if (string.IsNullOrEmpty(requestId))
        {
            throw new RuntimeApiException($"{What} answered without a Lambda-Runtime-Aws-Request-Id header.", response.Status);
        }

        var deadline = long.TryParse(response.Header("Lambda-Runtime-Deadline-Ms"), out var deadlineMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : DateTimeOffset.MaxValue;
        return new Invocation(
            requestId,
            response.Body,
            deadline,
            response.Header("Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            response.Header("Lambda-Runtime-Trace-Id") ?? string.Empty);
    }

    public Task SendResponseAsync(string requestId, byte[] json, CancellationToken cancellationToken = default) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", json, null, cancellationToken);

    public Task ReportInvocationErrorAsync(string requestId, Exception exception, CancellationToken cancellationToken = default) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", LambdaError.ToJson(exception), LambdaError.ErrorType(exception), cancellationToken);

    public Task ReportInitializationErrorAsync(Exception exception, CancellationToken cancellationToken = default) =>
        PostAsync("init/error", LambdaError.ToJson(exception), LambdaError.ErrorType(exception), cancellationToken);

    private async Task PostAsync(string path, byte[] body, string? errorType, CancellationToken cancellationToken)
    {
        var what = $"POST /runtime/{path}";
        var response = await SendAsync("POST", path, body, errorType, what, cancellationToken);
        if (response.Status != HttpStatusCode.Accepted)
        {
            throw Failure(response, what);
        }
    }

    private static RuntimeApiException Failure(Response response, string what)
    {
        var body = Encoding.UTF8.GetString(response.Body);
        return new RuntimeApiException($"{what} answered {(int)response.Status}: {(body.Length > 1024 ? body[..1024] + "..." : body)}", response.Status);
    }

    private async Task<Response> SendAsync(string method, string path, byte[]? body, string? errorType, string what, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append(method).Append(" /2018-06-01/runtime/").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(_hostAndPort).Append("\r\n")
            .Append("User-Agent: ").Append(UserAgent).Append("\r\n");
        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        }

        if (errorType is not null)
        {
            head.Append(ErrorTypeHeader).Append(": ").Append(errorType).Append("\r\n");
        }

        var request = Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
        try
        {
            // One retry on a fresh connection: the server may have closed an idle keep-alive one.
            for (var attempt = 0; ; attempt++)
            {
                var socket = _socket ??= await ConnectAsync(cancellationToken);
                try
                {
                    await socket.SendAsync(request, SocketFlags.None, cancellationToken);
                    if (body is { Length: > 0 })
                    {
                        await socket.SendAsync(body, SocketFlags.None, cancellationToken);
                    }

                    return await ReadResponseAsync(socket, cancellationToken);
                }
                catch (Exception e) when (attempt == 0 && e is SocketException or IOException)
                {
                    Reset();
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            Reset();
            throw new RuntimeApiException($"{what} failed: {e.Message}", null, e);
        }
    }

    private void Reset()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var address = IPAddress.TryParse(_host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(_host, cancellationToken))[0];
        await socket.ConnectAsync(new IPEndPoint(address, _port), cancellationToken);
        return socket;
    }

    private sealed class Response(HttpStatusCode status, Dictionary<string, string> headers, byte[] body)
    {
        public HttpStatusCode Status { get; } = status;

        public byte[] Body { get; } = body;

        public string? Header(string name) => headers.TryGetValue(name, out var value) ? value : null;
    }

    private async Task<Response> ReadResponseAsync(Socket socket, CancellationToken cancellationToken)
    {
        var have = 0;
        int headEnd;
        while ((headEnd = IndexOf(_buffer.AsSpan(0, have), "\r\n\r\n"u8)) < 0)
        {
            have += await ReceiveMoreAsync(socket, have, cancellationToken);
        }

        var lines = Encoding.ASCII.GetString(_buffer, 0, headEnd).Split("\r\n");
        var status = (HttpStatusCode)int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var start = headEnd + 4;
        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var content = new MemoryStream();
            var at = start;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = IndexOf(_buffer.AsSpan(at, have - at), "\r\n"u8)) < 0)
                {
                    have += await ReceiveMoreAsync(socket, have, cancellationToken);
                }

                var size = int.Parse(Encoding.ASCII.GetString(_buffer, at, lineEnd).Split(';')[0], System.Globalization.NumberStyles.HexNumber);
                var data = at + lineEnd + 2;
                while (have < data + size + 2)
                {
                    have += await ReceiveMoreAsync(socket, have, cancellationToken);
                }

                if (size == 0)
                {
                    break;
                }

                content.Write(_buffer, data, size);
                at = data + size + 2;
            }

            body = content.ToArray();
        }
        else
        {
            var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
            while (have < start + length)
            {
                have += await ReceiveMoreAsync(socket, have, cancellationToken);
            }

            body = _buffer.AsSpan(start, length).ToArray();
        }

        if (headers.TryGetValue("Connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase))
        {
            Reset();
        }

        return new Response(status, headers, body);
    }

    private async Task<int> ReceiveMoreAsync(Socket socket, int have, CancellationToken cancellationToken)
    {
        if (have == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var n = await socket.ReceiveAsync(_buffer.AsMemory(have), SocketFlags.None, cancellationToken);
        if (n == 0)
        {
            throw new IOException("the Runtime API closed the connection");
        }

        return n;
    }

    private static int IndexOf(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value) => span.IndexOf(value);
}
