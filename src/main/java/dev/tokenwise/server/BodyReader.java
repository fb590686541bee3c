package dev.tokenwise.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body and checks what the gateway relies on: size, UTF-8, a JSON object, and the
 * types of the fields it owns. Everything else is the provider's to judge.
 */
final class BodyReader {
  private final long maxBytes;

  BodyReader(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Reads at most the limit; more is a 413 naming the limit. A declared length is read into an array
   * of exactly that size: a large body (an image) is held once, not in growing copies.
   */
  byte[] read(InputStream in, long declaredLength) throws IOException {
    if (declaredLength > maxBytes) {
      throw tooLarge(declaredLength);
    }
    if (declaredLength >= 0) {
      byte[] body = in.readNBytes((int) declaredLength);
      if (body.length < declaredLength) {
        throw GatewayException.invalid(null, "the request body ended after " + body.length + " of the "
            + declaredLength + " bytes its Content-Length announced");
      }
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[16384];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > maxBytes) {
        throw tooLarge(total);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private GatewayException tooLarge(long size) {
    return GatewayException.of(ErrorKind.PAYLOAD_TOO_LARGE, "the request body is larger than the gateway's limit of "
        + maxBytes + " bytes" + (size > maxBytes ? "" : "") + "; raise server.max_body in the config");
  }

  /** Parses a body that must be a JSON object in UTF-8. */
  static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw GatewayException.invalid(null, "the request body is empty; send a JSON object");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonParseException e) {
      // the parser checks the UTF-8 of every string as it goes, so no separate pass is needed
      if (e.getOriginalMessage().contains("Invalid UTF-8")) {
        throw GatewayException.invalid(null, "the request body is not valid UTF-8 (" + e.getOriginalMessage()
            + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
      }
      throw GatewayException.invalid(null, "the request body is not valid JSON: " + withoutQuotedText(e)
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (JsonProcessingException e) {
      throw GatewayException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw GatewayException.invalid(null, "the request body could not be read as JSON");
    }
    if (node == null || !node.isObject()) {
      throw GatewayException.invalid(null, "the request body must be a JSON object, got "
          + (node == null ? "nothing" : Json.kind(node)));
    }
    return (ObjectNode) node;
  }

  /**
   * The parser's reason without the text it quotes: that text is part of the client's prompt, and error
   * messages are logged even when bodies are not kept.
   */
  private static String withoutQuotedText(JsonParseException e) {
    String reason = e.getOriginalMessage();
    int cut = reason.indexOf('\'');
    if (reason.startsWith("Unrecognized token") && cut > 0) {
      return "Unrecognized token where a JSON value belongs";
    }
    return reason.length() > 200 ? reason.substring(0, 200) : reason;
  }

  /** Checks {@code model} is a non-empty string. */
  static void requireModel(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw GatewayException.invalid("model", "'model' is required: name the model to call");
    }
    if (!model.isTextual()) {
      throw GatewayException.invalid("model", "'model' must be a string, got " + Json.kind(model));
    }
    if (model.asText().isBlank()) {
      throw GatewayException.invalid("model", "'model' must not be empty");
    }
  }

  /** Checks the fields a chat endpoint owns: messages is a non-empty array, stream a boolean. */
  static void requireChat(ObjectNode body) {
    requireModel(body);
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw GatewayException.invalid("messages", "'messages' is required");
    }
    if (!messages.isArray()) {
      throw GatewayException.invalid("messages", "'messages' must be an array, got " + Json.kind(messages));
    }
    if (messages.isEmpty()) {
      throw GatewayException.invalid("messages", "'messages' must hold at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      if (!messages.get(i).isObject()) {
        throw GatewayException.invalid("messages[" + i + "]", "'messages[" + i + "]' must be an object, got "
            + Json.kind(messages.get(i)));
      }
    }
    requireBoolean(body, "stream");
    JsonNode options = body.get("stream_options");
    if (options != null && !options.isNull() && !options.isObject()) {
      throw GatewayException.invalid("stream_options", "'stream_options' must be an object, got " + Json.kind(options));
    }
  }

  static void requireBoolean(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v != null && !v.isNull() && !v.isBoolean()) {
      throw GatewayException.invalid(field, "'" + field + "' must be true or false, got " + Json.kind(v));
    }
  }
}
