package dev.tokenwise.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.tokens.Token;

/**
 * A config file's text with its YAML nodes, for editing it in place: where each node starts and ends
 * in the text, so that one part can be replaced and every other byte kept.
 *
 * <p>The composer's end mark of a block collection is where the next token starts, after any comments
 * and blank lines that follow it, so the end used here is that of the collection's last scalar or flow
 * collection instead (block scalars without their trailing line breaks). Marks count code points; they
 * are turned into the string's char offsets.
 */
final class YamlSource {
  final String text;
  /** The document's top node, or null for an empty file (only comments, say). */
  final Node root;
  /** The line break the file uses, kept for inserted lines. */
  final String eol;
  private final List<Integer> dashes = new ArrayList<>();
  private final List<Integer> aliases = new ArrayList<>();
  private final boolean surrogates;

  YamlSource(String text) {
    this.text = text;
    this.surrogates = text.codePoints().count() != text.length();
    this.eol = text.contains("\r\n") ? "\r\n" : "\n";
    LoadSettings settings = LoadSettings.builder().build();
    this.root = new Compose(settings).composeString(text).orElse(null);
    ScannerImpl scanner = new ScannerImpl(settings, new StreamReader(settings, text));
    while (scanner.hasNext()) {
      Token t = scanner.next();
      if (t.getTokenId() == Token.ID.BlockEntry) {
        dashes.add(at(t.getStartMark()));
      } else if (t.getTokenId() == Token.ID.Alias) {
        aliases.add(at(t.getStartMark()));
      }
    }
  }

  /** The value under {@code key} in a mapping, or null. */
  static NodeTuple tuple(Node mapping, String key) {
    if (mapping instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return t;
        }
      }
    }
    return null;
  }

  static boolean flow(Node n) {
    return n instanceof CollectionNode<?> c && c.getFlowStyle() == FlowStyle.FLOW;
  }

  static boolean emptyScalar(Node n) {
    return n instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN && s.getValue().isEmpty();
  }

  /** Whether a YAML alias ({@code *name}) is used at or after {@code from}. */
  boolean aliasAfter(int from) {
    return aliases.stream().anyMatch(a -> a >= from);
  }

  int start(Node n) {
    return at(n.getStartMark());
  }

  /** Where a node's own text ends (see the class note). */
  int end(Node n) {
    if (n instanceof MappingNode m && !flow(m) && !m.getValue().isEmpty()) {
      return end(m.getValue().get(m.getValue().size() - 1).getValueNode());
    }
    if (n instanceof SequenceNode s && !flow(s) && !s.getValue().isEmpty()) {
      return end(s.getValue().get(s.getValue().size() - 1));
    }
    int end = at(n.getEndMark());
    if (n instanceof ScalarNode s && (s.getScalarStyle() == ScalarStyle.LITERAL
        || s.getScalarStyle() == ScalarStyle.FOLDED)) {
      int start = start(n);
      while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
        end--;
      }
    }
    return end;
  }

  /** The {@code -} that opens the block list item starting at {@code itemStart}. */
  private int dashBefore(int itemStart) {
    int dash = -1;
    for (int d : dashes) {
      if (d < itemStart) {
        dash = d;
      }
    }
    return dash;
  }

  /** The {@code -} of a block list's item, checked to open its line. */
  int itemDash(Node item) {
    int dash = dashBefore(start(item));
    if (dash < 0 || !text.substring(lineStart(dash), dash).isBlank()) {
      throw new ConfigEditor.Refused("its policies list is written in a way apply cannot edit safely (an item's"
          + " '-' does not start its line)", false);
    }
    return dash;
  }

  /** The start of the comment lines at the item's own indentation right above its {@code -} line. */
  int commentsAbove(int dash, int dashCol) {
    int at = lineStart(dash);
    while (at > 0) {
      int prev = lineStart(at - 1);
      String line = line(prev);
      if (!line.strip().startsWith("#") || line.indexOf('#') != dashCol) {
        break;
      }
      at = prev;
    }
    return at;
  }

  /** Past the comment lines indented under the last item, which belong to it. */
  int commentsBelow(int lineEnd, int dashCol) {
    int at = lineEnd;
    while (at < text.length()) {
      int next = nextLine(at);
      if (next >= text.length()) {
        break;
      }
      String line = line(next);
      if (!line.strip().startsWith("#") || line.indexOf('#') <= dashCol) {
        break;
      }
      at = lineEnd(next);
    }
    return at;
  }

  boolean blankAbove(int lineStart) {
    return lineStart > 0 && line(lineStart(lineStart - 1)).isBlank();
  }

  int lineStart(int pos) {
    return text.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The end of the line holding {@code pos}, before its line break. */
  int lineEnd(int pos) {
    int nl = text.indexOf('\n', pos);
    if (nl < 0) {
      return text.length();
    }
    return nl > 0 && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
  }

  /** The start of the line after the one holding {@code pos}, or the text's length. */
  int nextLine(int pos) {
    int nl = text.indexOf('\n', pos);
    return nl < 0 ? text.length() : nl + 1;
  }

  int column(int pos) {
    return pos - lineStart(pos);
  }

  /** The line from {@code lineStart} without its break. */
  String line(int lineStart) {
    return text.substring(lineStart, lineEnd(lineStart));
  }

  /**
   * A node as plain values for writing it elsewhere: maps, lists and {@link YamlValues.Raw} scalars
   * that keep their text as written.
   */
  Object value(Node n) {
    if (n instanceof MappingNode m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        map.put(((ScalarNode) t.getKeyNode()).getValue(), value(t.getValueNode()));
      }
      return map;
    }
    if (n instanceof SequenceNode s) {
      List<Object> list = new ArrayList<>();
      s.getValue().forEach(x -> list.add(value(x)));
      return list;
    }
    ScalarNode s = (ScalarNode) n;
    if (emptyScalar(s)) {
      return null;
    }
    return new YamlValues.Raw(text.substring(start(s), end(s)), s.getValue(), s.getScalarStyle());
  }

  /** Marks count code points; the text is indexed by chars. */
  private int at(Optional<Mark> mark) {
    int index = mark.orElseThrow().getIndex();
    return surrogates ? text.offsetByCodePoints(0, index) : index;
  }
}
