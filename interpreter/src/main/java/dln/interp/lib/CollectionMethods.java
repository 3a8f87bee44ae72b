package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.TypeTable;
import dln.interp.value.Items;
import dln.interp.value.Iteration;
import dln.interp.value.None;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The methods of lists, tuples and dicts (xs.append, d.items…), declared in {@link TypeTable}. */
final class CollectionMethods {
  private CollectionMethods() {}

  static void install() {
    listMethods();
    dictMethods();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void listMethods() {
    TypeTable.define(ArrayList.class, "list")
        .method("append", "x", "Adds x at the end.\nExample: xs.append(3)", (self, a) -> {
          ((List) self).add(a.get("x"));
          return None.NONE;
        })
        .method("extend", "xs", "Adds every item of xs.\nExample: xs.extend([4, 5])", (self, a) -> {
          ((List) self).addAll(Iteration.toList(a.invoker(), a.get("xs")));
          return None.NONE;
        })
        .method("insert", "i, x", "Inserts x before index i.", (self, a) -> {
          List l = (List) self;
          long i = a.integer("i");
          int at = (int) Math.max(0, Math.min(l.size(), i < 0 ? i + l.size() : i));
          l.add(at, a.get("x"));
          return None.NONE;
        })
        .method("pop", "i?", "Removes and returns the item at i (default: the last).\nExample: xs.pop()", (self, a) -> {
          List l = (List) self;
          if (l.isEmpty()) throw DlnException.index("pop from an empty list");
          long i = a.integer("i", -1);
          long j = i < 0 ? i + l.size() : i;
          if (j < 0 || j >= l.size()) throw DlnException.index("pop index " + i + " is out of range for length " + l.size());
          return l.remove((int) j);
        })
        .method("remove", "x", "Removes the first item equal to x.", (self, a) -> {
          List l = (List) self;
          for (int i = 0; i < l.size(); i++) {
            if (Values.equal(l.get(i), a.get("x"))) {
              l.remove(i);
              return None.NONE;
            }
          }
          throw DlnException.value(Values.repr(a.get("x")) + " is not in the list");
        })
        .method("index", "x", "Index of the first item equal to x.", (self, a) -> {
          List l = (List) self;
          for (int i = 0; i < l.size(); i++) if (Values.equal(l.get(i), a.get("x"))) return (long) i;
          throw DlnException.value(Values.repr(a.get("x")) + " is not in the list");
        })
        .method("count", "x", "How many items equal x.", (self, a) -> {
          long n = 0;
          for (Object o : (List) self) if (Values.equal(o, a.get("x"))) n++;
          return n;
        })
        .method("sort", "key?, reverse?", "Sorts the list in place.\nExample: xs.sort(reverse=true)", (self, a) -> {
          Ordering.sort(a.invoker(), (List) self, a.get("key", null), a.bool("reverse", false));
          return None.NONE;
        })
        .method("reverse", "", "Reverses the list in place.", (self, a) -> {
          Collections.reverse((List) self);
          return None.NONE;
        })
        .method("copy", "", "A shallow copy.", (self, a) -> new ArrayList<>((List) self))
        .method("clear", "", "Removes every item.", (self, a) -> {
          ((List) self).clear();
          return None.NONE;
        });
    TypeTable.define(Tuple.class, "tuple")
        .method("index", "x", "Index of the first item equal to x.", (self, a) -> {
          Tuple t = (Tuple) self;
          for (int i = 0; i < t.size(); i++) if (Values.equal(t.get(i), a.get("x"))) return (long) i;
          throw DlnException.value(Values.repr(a.get("x")) + " is not in the tuple");
        })
        .method("count", "x", "How many items equal x.", (self, a) -> {
          long n = 0;
          for (Object o : ((Tuple) self).items()) if (Values.equal(o, a.get("x"))) n++;
          return n;
        });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void dictMethods() {
    TypeTable.define(LinkedHashMap.class, "dict")
        .method("keys", "", "The keys, as a list.", (self, a) -> new ArrayList<>(((Map) self).keySet()))
        .method("values", "", "The values, as a list.", (self, a) -> new ArrayList<>(((Map) self).values()))
        .method("items", "", "(key, value) pairs.\nExample: for k, v in d.items(): print(k, v)", (self, a) -> {
          List<Object> out = new ArrayList<>();
          for (Object e : ((Map) self).entrySet()) {
            Map.Entry en = (Map.Entry) e;
            out.add(Tuple.of(en.getKey(), en.getValue()));
          }
          return out;
        })
        .method("get", "key, default?", "The value for key, or default (none) when absent.", (self, a) -> {
          Object v = ((Map) self).get(Items.key(a.get("key")));
          return v != null ? v : a.get("default", None.NONE);
        })
        .method("pop", "key, default?", "Removes key and returns its value.", (self, a) -> {
          Object v = ((Map) self).remove(Items.key(a.get("key")));
          if (v != null) return v;
          if (a.get("default") != null) return a.get("default");
          throw new DlnException("key error", "key " + Values.repr(a.get("key")) + " is not in the dict");
        })
        .method("update", "other?, **kwargs", "Adds the pairs of another dict (or keywords).", (self, a) -> {
          if (a.has("other")) ((Map) self).putAll(a.object("other", Map.class, "a dict"));
          ((Map) self).putAll(a.restKeywords());
          return None.NONE;
        })
        .method("copy", "", "A shallow copy.", (self, a) -> new LinkedHashMap<>((Map) self))
        .method("setdefault", "key, default?", "d[key], set to default first if absent.", (self, a) -> {
          Map m = (Map) self;
          // Items.key: unhashable keys (tensors crash ND4J's hashCode) are refused first.
          Object k = Items.key(a.get("key"));
          if (!m.containsKey(k)) m.put(k, a.get("default", None.NONE));
          return m.get(k);
        });
  }

}
