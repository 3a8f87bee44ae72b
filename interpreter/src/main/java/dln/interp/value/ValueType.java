package dln.interp.value;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code type(x)} returns for a value whose class is not itself a DLN name (a tensor, a layer,
 * a function): a type object with {@code __name__}, one per name so that {@code type(a) is type(b)}
 * holds for values of one type.
 */
public final class ValueType {
  private static final Map<String, ValueType> TYPES = new ConcurrentHashMap<>();
  private final String name;

  private ValueType(String name) {
    this.name = name;
  }

  public static ValueType of(String name) {
    return TYPES.computeIfAbsent(name, ValueType::new);
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "<class '" + name + "'>";
  }
}
