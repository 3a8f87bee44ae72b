package dln.jupyter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * The inputs (and text outputs) of the cells run in this kernel, for {@code history_request}:
 * tail, range and glob search, as IPython answers them. Entries are {@code [session, line, input]}
 * or, when output is asked for, {@code [session, line, [input, output]]}. It lives in memory only:
 * one session per kernel process.
 */
final class CellHistory {
  private record Entry(int line, String input, String output) {}

  private final List<Entry> entries = new ArrayList<>();

  synchronized void add(int line, String input, String output) {
    entries.add(new Entry(line, input, output));
  }

  synchronized List<Object> lookup(HistoryRequest request) {
    List<Entry> picked = new ArrayList<>();
    switch (request.getAccessType()) {
      case TAIL -> picked = last(entries, ((HistoryRequest.Tail) request).getMaxReturnLength());
      case RANGE -> {
        HistoryRequest.Range r = (HistoryRequest.Range) request;
        // Session 0 or negative means "this one" (counting back), and this kernel has only one.
        if (r.getSessionIndex() <= 0 || r.getSessionIndex() == DlnKernel.SESSION) {
          for (Entry e : entries) if (e.line() >= r.getStart() && (r.getStop() <= 0 || e.line() < r.getStop())) picked.add(e);
        }
      }
      case SEARCH -> {
        HistoryRequest.Search s = (HistoryRequest.Search) request;
        Pattern glob = glob(s.getPattern() == null ? "*" : s.getPattern());
        List<Entry> matching = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        // Newest first when filtering duplicates, so the kept copy is the latest; then back in order.
        for (int i = entries.size() - 1; i >= 0; i--) {
          Entry e = entries.get(i);
          if (!glob.matcher(e.input()).matches()) continue;
          if (s.filterUnique() && !seen.add(e.input())) continue;
          matching.add(0, e);
        }
        picked = last(matching, s.getMaxReturnLength());
      }
    }
    List<Object> out = new ArrayList<>();
    for (Entry e : picked) {
      Object cell = request.includeOutput() ? List.of(e.input(), e.output() == null ? "" : e.output()) : e.input();
      out.add(List.of(DlnKernel.SESSION, e.line(), cell));
    }
    return out;
  }

  private static List<Entry> last(List<Entry> list, int n) {
    return n <= 0 || n >= list.size() ? new ArrayList<>(list) : new ArrayList<>(list.subList(list.size() - n, list.size()));
  }

  /** A glob ('*' any text, '?' one character) as a whole-input regular expression. */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') re.append(".*");
      else if (c == '?') re.append('.');
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
