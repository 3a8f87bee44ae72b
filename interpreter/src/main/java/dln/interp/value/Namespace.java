package dln.interp.value;

import java.util.LinkedHashMap;
import java.util.Map;

/** A named group of builtins reached with ".", like {@code np} and {@code np.random}. */
public final class Namespace {
  private final String name;
  private final Map<String, Object> members = new LinkedHashMap<>();

  public Namespace(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public Map<String, Object> members() {
    return members;
  }

  public Object get(String member) {
    return members.get(member);
  }

  public void put(String member, Object value) {
    members.put(member, value);
  }

  @Override
  public String toString() {
    return "<namespace " + name + ">";
  }
}
