using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sock.Runtime;

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
/// Client of the Lambda Runtime API (http://$AWS_LAMBDA_RUNTIME_API/2018-06-01): HTTP/1.1 over one keep-alive
/// socket, no timeout (Lambda freezes the process while GET /next waits). The API is plain HTTP on the sandbox's
/// loopback, so HttpClient would only add its TLS, HTTP/2, proxy and pooling code: about half of the executable's
/// size and several milliseconds of start-up. Responses follow RFC 9112's framing rules: Content-Length, chunked,
/// or until the server closes; a keep-alive connection the server has closed is reopened once.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    /// <summary>Header of /error and /init/error naming the error type.</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary>Far above Lambda's 6 MB payloads; a bound so that a broken peer cannot exhaust memory.</summary>
    private const int MaxBodyBytes = 64 * 1024 * 1024;

    private const int MaxHeaderBytes = 64 * 1024;

    private static readonly string UserAgent =
        $"aws-lambda-dotnet-minimal/{Environment.Version}{(RuntimeFeature.IsDynamicCodeSupported ? string.Empty : "-aot")}";

    private readonly string _hostAndPort;
    private readonly string _host;
    private readonly int _port;
    private Socket? _socket;

    /// <summary>Received bytes; <see cref="_start"/>..<see cref="_end"/> are not yet consumed.</summary>
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Whether any byte of the current request's answer has arrived.</summary>
    private bool _answered;

    /// <param name="hostAndPort">AWS_LAMBDA_RUNTIME_API: host:port (IPv6 in brackets), no scheme.</param>
    public RuntimeApiClient(string hostAndPort)
    {
        _hostAndPort = hostAndPort;
        var colon = hostAndPort.LastIndexOf(':');
        var hasPort = colon > hostAndPort.LastIndexOf(']');
        _host = (hasPort ? hostAndPort[..colon] : hostAndPort).Trim('[', ']');
        _port = 80;
        if (hasPort && (!int.TryParse(hostAndPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _port) || _port is 0 or > 65535))
        {
            throw new RuntimeApiException($"AWS_LAMBDA_RUNTIME_API is '{hostAndPort}': expected host:port.");
        }
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

        var deadline = long.TryParse(response.Header("Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs)
            : DateTimeOffset.MaxValue;
        return new Invocation(
            requestId,
            response.Body,
            deadline,
            response.Header("Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            response.Header("Lambda-Runtime-Trace-Id") ?? string.Empty);
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

    public void Dispose() => Disconnect();

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
        var body = Encoding.UTF8.GetString(response.Body.AsSpan(0, Math.Min(response.Body.Length, 1024)));
        var more = response.Body.Length > 1024 ? "..." : string.Empty;
        return new RuntimeApiException($"{what} answered {(int)response.Status}: {body}{more}", response.Status);
    }

    private async Task<Response> SendAsync(string method, string path, byte[]? body, string? errorType, string what, CancellationToken cancellationToken)
    {
        var request = Request(method, path, body, errorType);
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            _answered = false;
            try
            {
                var socket = _socket ??= await ConnectAsync(cancellationToken);
                await SendAllAsync(socket, request, cancellationToken);
                if (body is { Length: > 512 })
                {
                    await SendAllAsync(socket, body, cancellationToken);
                }

                return await ReadResponseAsync(socket, cancellationToken);
            }
            catch (Exception e) when (reused && attempt == 0 && !_answered && e is SocketException or IOException)
            {
                // The server closed the idle keep-alive connection before reading this request (an end of stream
                // or a reset, and not one byte of answer): send it again on a new one. Nothing runs twice.
                Disconnect();
            }
            catch (Exception e) when (e is SocketException or IOException or ProtocolException)
            {
                Disconnect();
                throw new RuntimeApiException($"{what} failed: {e.Message}", null, e);
            }
        }
    }

    /// <summary>The request head, with a small body appended so that it goes in one write.</summary>
    private byte[] Request(string method, string path, byte[]? body, string? errorType)
    {
        var head = new StringBuilder(256)
            .Append(method).Append(" /2018-06-01/runtime/").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(_hostAndPort).Append("\r\n")
            .Append("User-Agent: ").Append(UserAgent).Append("\r\n");
        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ")
                .Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        if (errorType is not null)
        {
            head.Append(ErrorTypeHeader).Append(": ").Append(HeaderValue(errorType)).Append("\r\n");
        }

        head.Append("\r\n");
        var small = body is { Length: <= 512 } ? body : [];
        var bytes = new byte[Encoding.ASCII.GetByteCount(head.ToString()) + small.Length];
        var written = Encoding.ASCII.GetBytes(head.ToString(), bytes);
        small.CopyTo(bytes, written);
        return bytes;
    }

    /// <summary>Header values are visible ASCII: anything else (a CR or LF above all) becomes '_'.</summary>
    private static string HeaderValue(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '_';
            }
        });

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    private void Disconnect()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(_host, out var ip)
            ? [ip]
            : await Dns.GetHostAddressesAsync(_host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, _port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private async Task<Response> ReadResponseAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (status, headers, closeAfter) = await ReadHeadAsync(socket, cancellationToken);
            if ((int)status is >= 100 and < 200)
            {
                continue; // 100 Continue and other interim answers precede the real one.
            }

            var body = (int)status is 204 or 304 ? [] : await ReadBodyAsync(socket, headers, cancellationToken);
            if (closeAfter || !IsFramed(status, headers))
            {
                Disconnect();
            }

            return new Response(status, headers, body);
        }
    }

    private async Task<(HttpStatusCode Status, Dictionary<string, string> Headers, bool CloseAfter)> ReadHeadAsync(Socket socket, CancellationToken cancellationToken)
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeaderBytes)
            {
                throw new ProtocolException($"the response head is longer than {MaxHeaderBytes} bytes");
            }

            if (!await ReceiveAsync(socket, cancellationToken))
            {
                throw new IOException(_answered
                    ? "the Runtime API closed the connection in the middle of a response head"
                    : "the Runtime API closed the connection");
            }
        }

        var lines = Encoding.Latin1.GetString(_buffer, _start, headEnd).Split("\r\n");
        _start += headEnd + 4;
        var statusLine = lines[0];
        if (!statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal)
            || statusLine.Length < 12
            || statusLine[8] != ' '
            || !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || code < 100)
        {
            throw new ProtocolException($"not an HTTP/1.x status line: '{Printable(statusLine)}'");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new ProtocolException($"malformed header line: '{Printable(line)}'");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (headers.TryGetValue(name, out var earlier))
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && earlier != value)
                {
                    throw new ProtocolException("conflicting Content-Length headers");
                }

                value = $"{earlier}, {value}";
            }

            headers[name] = value;
        }

        var http10 = statusLine[7] == '0';
        var connection = headers.GetValueOrDefault("Connection") ?? string.Empty;
        var closeAfter = http10
            ? !connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase)
            : connection.Contains("close", StringComparison.OrdinalIgnoreCase);
        return ((HttpStatusCode)code, headers, closeAfter);
    }

    /// <summary>Whether the body's end is known from its framing; otherwise it ended with the connection.</summary>
    private static bool IsFramed(HttpStatusCode status, Dictionary<string, string> headers) =>
        (int)status is 204 or 304 || IsChunked(headers) || (!headers.ContainsKey("Transfer-Encoding") && headers.ContainsKey("Content-Length"));

    private static bool IsChunked(Dictionary<string, string> headers) =>
        headers.TryGetValue("Transfer-Encoding", out var codings)
        && codings.Split(',')[^1].Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase);

    private async Task<byte[]> ReadBodyAsync(Socket socket, Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        if (IsChunked(headers))
        {
            return await ReadChunkedAsync(socket, cancellationToken);
        }

        if (!headers.ContainsKey("Transfer-Encoding") && headers.TryGetValue("Content-Length", out var declared))
        {
            if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxBodyBytes)
            {
                throw new ProtocolException($"unusable Content-Length '{Printable(declared)}' (at most {MaxBodyBytes} bytes)");
            }

            await FillAsync(socket, length, cancellationToken);
            return Take(length);
        }

        // No length: the body runs until the server closes the connection.
        while (await ReceiveAsync(socket, cancellationToken))
        {
            if (_end - _start > MaxBodyBytes)
            {
                throw new ProtocolException($"the response body is larger than {MaxBodyBytes} bytes");
            }
        }

        return Take(_end - _start);
    }

    private async Task<byte[]> ReadChunkedAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(socket, cancellationToken);
            var sizeText = line.Split(';')[0].Trim(' ', '\t');
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
                || size < 0
                || content.Length + size > MaxBodyBytes)
            {
                throw new ProtocolException($"unusable chunk size '{Printable(sizeText)}' (at most {MaxBodyBytes} bytes in all)");
            }

            if (size == 0)
            {
                // Trailer fields, if any, end with an empty line.
                while ((await ReadLineAsync(socket, cancellationToken)).Length > 0)
                {
                }

                return content.ToArray();
            }

            await FillAsync(socket, size + 2, cancellationToken);
            if (_buffer[_start + size] != '\r' || _buffer[_start + size + 1] != '\n')
            {
                throw new ProtocolException("a chunk does not end with CRLF");
            }

            content.Write(_buffer, _start, size);
            _start += size + 2;
        }
    }

    private async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeaderBytes)
            {
                throw new ProtocolException($"a chunk line is longer than {MaxHeaderBytes} bytes");
            }

            if (!await ReceiveAsync(socket, cancellationToken))
            {
                throw new IOException("the Runtime API closed the connection in the middle of a chunked body");
            }
        }

        var line = Encoding.Latin1.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    /// <summary>Receives until at least <paramref name="count"/> unconsumed bytes are buffered.</summary>
    private async Task FillAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (!await ReceiveAsync(socket, cancellationToken, count))
            {
                throw new IOException($"the Runtime API closed the connection {_end - _start} bytes into a {count}-byte body");
            }
        }
    }

    private byte[] Take(int count)
    {
        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    /// <summary>Reads what the socket has into the buffer, making room first; false at the end of the stream.</summary>
    private async Task<bool> ReceiveAsync(Socket socket, CancellationToken cancellationToken, int want = 0)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            if (_start > 0 && unread < _buffer.Length / 2 && want <= _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
            }
            else
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, want)];
                Buffer.BlockCopy(_buffer, _start, bigger, 0, unread);
                _buffer = bigger;
            }

            (_start, _end) = (0, unread);
        }

        var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += received;
        _answered |= received > 0;
        return received > 0;
    }

    private static string Printable(string text) =>
        HeaderValue(text.Length > 100 ? text[..100] + "..." : text);

    private sealed class Response(HttpStatusCode status, Dictionary<string, string> headers, byte[] body)
    {
        public HttpStatusCode Status { get; } = status;

        public byte[] Body { get; } = body;

        public string? Header(string name) => headers.GetValueOrDefault(name);
    }

    /// <summary>The peer broke HTTP/1.1's rules.</summary>
    private sealed class ProtocolException(string message) : Exception(message);
}
