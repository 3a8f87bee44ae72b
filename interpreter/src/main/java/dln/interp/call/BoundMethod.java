package dln.interp.call;

import java.util.List;
import java.util.Map;

/** {@code model.fit} before it is called: the receiver plus the method. */
public record BoundMethod(Object self, String typeName, Method method) implements Callable {
  @Override
  public String name() {
    return typeName + "." + method.name();
  }

  @Override
  public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    Object r = method.invoke(self, Args.bind(name(), method.params(), invoker, positional, keywords));
    return r == null ? dln.interp.value.None.NONE : r;
  }

  @Override
  public String toString() {
    return "<method " + name() + ">";
  }
}
