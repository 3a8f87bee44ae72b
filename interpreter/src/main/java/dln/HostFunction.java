package dln;

/**
 * Java code a host exposes to DLN scripts as a builtin function ({@link Dln#register}).
 *
 * <p>Arguments arrive converted to Java the way {@link dln.interp.value.JavaValues#toJava(Object)}
 * does (int as Long, float as Double, tensor as INDArray, list as List…); the result is converted
 * back with {@link dln.interp.value.JavaValues#toDln} (null is none). Throw a
 * {@link dln.interp.DlnException} for an error the script should see as its own (e.g.
 * {@code DlnException.value("price must be positive")}); any other exception becomes a
 * {@code "host error"} naming the function.
 */
@FunctionalInterface
public interface HostFunction {
  Object call(Object... args);
}
