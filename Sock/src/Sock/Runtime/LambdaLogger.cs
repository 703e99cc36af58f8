using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sock.Runtime;

/// <summary>Log levels, from AWS_LAMBDA_LOG_LEVEL's TRACE to FATAL.</summary>
public enum LambdaLogLevel
{
    Trace,
    Debug,
    Information,
    Warning,
    Error,
    Critical,
}

/// <summary>
/// Writes log lines to standard output in the format of Amazon.Lambda.RuntimeSupport:
/// <c>yyyy-MM-ddTHH:mm:ss.fffZ&lt;TAB&gt;requestId&lt;TAB&gt;level&lt;TAB&gt;message</c>, or, when
/// AWS_LAMBDA_LOG_FORMAT is JSON, one JSON object per line (timestamp, level, requestId, traceId, message, and
/// errorType, errorMessage, stackTrace for an exception).
/// </summary>
public sealed class LambdaLogger : ILambdaLogger
{
    private static readonly bool JsonFormat =
        string.Equals(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_FORMAT"), "JSON", StringComparison.OrdinalIgnoreCase);

    private static readonly LambdaLogLevel MinimumLevel = ParseLevel(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL"));

    private readonly TextWriter? _output;

    /// <param name="requestId">Request id written on every line; empty outside an invocation.</param>
    /// <param name="traceId">X-Ray trace header, written in JSON format.</param>
    /// <param name="output">Where lines go; standard output when null.</param>
    public LambdaLogger(string requestId = "", string traceId = "", TextWriter? output = null)
    {
        RequestId = requestId;
        TraceId = traceId;
        _output = output;
    }

    public string RequestId { get; }

    public string TraceId { get; }

    public void Log(string message) => Write(LambdaLogLevel.Information, message, null);

    public void LogLine(string message) => Write(LambdaLogLevel.Information, message, null);

    public void LogTrace(string message) => Write(LambdaLogLevel.Trace, message, null);

    public void LogDebug(string message) => Write(LambdaLogLevel.Debug, message, null);

    public void LogInformation(string message) => Write(LambdaLogLevel.Information, message, null);

    public void LogWarning(string message) => Write(LambdaLogLevel.Warning, message, null);

    public void LogWarning(Exception exception, string message) => Write(LambdaLogLevel.Warning, message, exception);

    public void LogError(string message) => Write(LambdaLogLevel.Error, message, null);

    public void LogError(Exception exception, string message) => Write(LambdaLogLevel.Error, message, exception);

    public void LogCritical(string message) => Write(LambdaLogLevel.Critical, message, null);

    public void LogCritical(Exception exception, string message) => Write(LambdaLogLevel.Critical, message, exception);

    /// <summary>Writes one log line (or JSON object) unless the level is below AWS_LAMBDA_LOG_LEVEL.</summary>
    public void Write(LambdaLogLevel level, string message, Exception? exception)
    {
        if (level < MinimumLevel)
        {
            return;
        }

        var timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var line = JsonFormat ? FormatJson(timestamp, level, message, exception) : FormatText(timestamp, level, message, exception);
        (_output ?? Console.Out).WriteLine(line);
    }

    private string FormatText(string timestamp, LambdaLogLevel level, string message, Exception? exception)
    {
        var text = exception is null ? message : message.Length == 0 ? exception.ToString() : $"{message}\n{exception}";
        return $"{timestamp}\t{RequestId}\t{TextLabel(level)}\t{text}";
    }

    private string FormatJson(string timestamp, LambdaLogLevel level, string message, Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, LambdaError.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp);
            json.WriteString("level", level.ToString());
            if (RequestId.Length > 0)
            {
                json.WriteString("requestId", RequestId);
            }

            if (TraceId.Length > 0)
            {
                json.WriteString("traceId", TraceId);
            }

            json.WriteString("message", message.Length == 0 && exception is not null ? exception.Message : message);
            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().FullName);
                json.WriteString("errorMessage", exception.Message);
                json.WriteStartArray("stackTrace");
                foreach (var frame in exception.ToString().Split('\n'))
                {
                    json.WriteStringValue(frame.Trim());
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The level labels of Microsoft.Extensions.Logging's console format, as RuntimeSupport writes them.</summary>
    private static string TextLabel(LambdaLogLevel level) => level switch
    {
        LambdaLogLevel.Trace => "trce",
        LambdaLogLevel.Debug => "dbug",
        LambdaLogLevel.Information => "info",
        LambdaLogLevel.Warning => "warn",
        LambdaLogLevel.Error => "fail",
        _ => "crit",
    };

    private static LambdaLogLevel ParseLevel(string? value) => value?.ToUpperInvariant() switch
    {
        "TRACE" => LambdaLogLevel.Trace,
        "DEBUG" => LambdaLogLevel.Debug,
        "WARN" or "WARNING" => LambdaLogLevel.Warning,
        "ERROR" => LambdaLogLevel.Error,
        "FATAL" or "CRITICAL" => LambdaLogLevel.Critical,
        _ => LambdaLogLevel.Information,
    };
}
