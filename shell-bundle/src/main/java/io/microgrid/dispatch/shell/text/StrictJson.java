package io.microgrid.dispatch.shell.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) into plain Java values: {@link Map} (insertion order), {@link
 * List}, {@link String}, {@link Double}, {@link Boolean} and {@code null}. No comments, no single
 * quotes, no unquoted names, no name twice in one object, nothing after the value. Small on
 * purpose: it keeps JSON libraries out of the bundle's imports. Public so that the project's tests
 * read the JSON the gateway prints with the same reader.
 */
public final class StrictJson {
  /** Deeper nesting is refused before it can exhaust the stack; payloads allow far less. */
  private static final int MAX_NESTING = 64;

  private final String s;
  private int at;

  private StrictJson(String s) {
    this.s = s;
  }

  /**
   * Parses one JSON value.
   *
   * @param text the text
   * @return the value
   * @throws IllegalArgumentException saying what is wrong and where
   */
  public static Object parse(String text) {
    StrictJson p = new StrictJson(text);
    p.space();
    if (p.at >= text.length()) {
      throw new IllegalArgumentException("empty text");
    }
    Object v = p.value(0);
    p.space();
    if (p.at < text.length()) {
      throw p.error("text after the JSON value");
    }
    return v;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at position " + (at + 1));
  }

  private void space() {
    while (at < s.length()) {
      char c = s.charAt(at);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        at++;
      } else {
        return;
      }
    }
  }

  private char peek() {
    if (at >= s.length()) {
      throw error("unexpected end of text");
    }
    return s.charAt(at);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private Object value(int depth) {
    if (depth > MAX_NESTING) {
      throw error("nested too deeply");
    }
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object word(String w, Object v) {
    if (!s.startsWith(w, at)) {
      throw error("unexpected word");
    }
    at += w.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    expect('{');
    Map<String, Object> map = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      at++;
      return map;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("expected a name in double quotes");
      }
      int nameAt = at;
      String name = string();
      space();
      expect(':');
      space();
      if (map.containsKey(name)) {
        at = nameAt;
        throw error("the name \"" + name + "\" appears twice");
      }
      map.put(name, value(depth + 1));
      space();
      char c = peek();
      at++;
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    expect('[');
    List<Object> list = new ArrayList<>();
    space();
    if (peek() == ']') {
      at++;
      return list;
    }
    while (true) {
      space();
      list.add(value(depth + 1));
      space();
      char c = peek();
      at++;
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = peek();
      at++;
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        at--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = peek();
      at++;
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > s.length()) {
            throw error("incomplete \\u escape");
          }
          try {
            out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
          } catch (NumberFormatException x) {
            throw error("malformed \\u escape");
          }
          at += 4;
        }
        default -> {
          at--;
          throw error("unknown escape '\\" + e + "'");
        }
      }
    }
  }

  private Double number() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    if (peek() == '0') {
      at++;
    } else {
      digits();
    }
    if (at < s.length() && s.charAt(at) == '.') {
      at++;
      digits();
    }
    if (at < s.length() && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
      at++;
      if (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
        at++;
      }
      digits();
    }
    double d = Double.parseDouble(s.substring(start, at));
    if (Double.isInfinite(d)) {
      at = start;
      throw error("number out of range");
    }
    return d;
  }

  private void digits() {
    char c = peek();
    if (c < '0' || c > '9') {
      throw error("expected a digit");
    }
    while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
      at++;
    }
  }
}
