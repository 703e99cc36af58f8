using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sock.Runtime;

/// <summary>
/// The error document Lambda returns to the caller: <c>{"errorType", "errorMessage", "stackTrace": [...]}</c>,
/// plus <c>"cause"</c> for an inner exception, as Amazon.Lambda.RuntimeSupport writes it, at most 256 KB.
/// </summary>
public static class LambdaError
{
    /// <summary>Largest error document posted; longer stack traces and messages are cut.</summary>
    public const int MaxBytes = 256 * 1024;

    private const int MaxCauses = 5;

    /// <summary>Escapes only what JSON requires (as RuntimeSupport does), so text stays readable: no \u002B for '+'.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The exception's short type name, e.g. ArgumentException, as RuntimeSupport sends it in both the body and
    /// the Lambda-Runtime-Function-Error-Type header. (The Runtime Interface Emulator keeps the header only when
    /// it looks like Function.Xxx or Runtime.Xxx and otherwise shows Runtime.Unknown; the body is unchanged.)
    /// </summary>
    public static string ErrorType(Exception exception) => exception.GetType().Name;

    /// <summary>The UTF-8 JSON error document, cut to fit <see cref="MaxBytes"/>.</summary>
    public static byte[] ToJson(Exception exception)
    {
        var message = exception.Message;
        var frames = StackFrames(exception);
        var causes = MaxCauses;
        while (true)
        {
            var json = Write(exception, message, frames, causes);
            if (json.Length <= MaxBytes)
            {
                return json;
            }

            if (causes > 0)
            {
                causes = 0;
            }
            else if (frames.Length > 0)
            {
                frames = frames[..(frames.Length / 2)];
            }
            else
            {
                message = message[..(message.Length / 2)] + "...";
            }
        }
    }

    private static byte[] Write(Exception exception, string message, string[] frames, int causes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteException(json, exception, message, frames, causes);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteException(Utf8JsonWriter json, Exception exception, string message, string[] frames, int causes)
    {
        json.WriteStartObject();
        json.WriteString("errorType", ErrorType(exception));
        json.WriteString("errorMessage", message);
        json.WriteStartArray("stackTrace");
        foreach (var frame in frames)
        {
            json.WriteStringValue(frame);
        }

        json.WriteEndArray();
        if (causes > 0 && exception.InnerException is { } inner)
        {
            json.WritePropertyName("cause");
            WriteException(json, inner, inner.Message, StackFrames(inner), causes - 1);
        }

        json.WriteEndObject();
    }

    private static string[] StackFrames(Exception exception) =>
        (exception.StackTrace ?? string.Empty)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
