package dln.runtime.nn;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a layer config record component as an optional constructor argument (components without
 * it are required). {@link LayerSpec} reads it by reflection: the component's snake_case name is
 * the Keras keyword, its position the positional order.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {
  /** The value when the argument is absent, parsed by the component's type; "" means null. */
  String dflt() default "";

  /** Other keywords accepted for the argument (Keras's {@code strides} also as {@code stride}). */
  String[] aliases() default {};
}
