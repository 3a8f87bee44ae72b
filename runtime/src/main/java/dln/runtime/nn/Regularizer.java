package dln.runtime.nn;

import dln.runtime.DlnRuntimeException;

/**
 * Weight penalty added to the training loss: {@code l1 * sum(|w|) + l2 * sum(w²)} (Keras's L1L2).
 *
 * @param l1 factor of the absolute-value penalty
 * @param l2 factor of the squared penalty
 */
public record Regularizer(double l1, double l2) {
  public Regularizer {
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw DlnRuntimeException.value("regularizer factors must be zero or positive, got l1=" + l1 + ", l2=" + l2);
    }
  }

  /** Keras's {@code l1(0.01)}. */
  public static Regularizer l1(double factor) {
    return new Regularizer(factor, 0);
  }

  /** Keras's {@code l2(0.01)}. */
  public static Regularizer l2(double factor) {
    return new Regularizer(0, factor);
  }

  /**
   * A regularizer given by name as a layer argument ({@code kernel_regularizer='l2'}), with
   * Keras's default factor 0.01.
   *
   * @param param the argument's keyword, for the error message
   */
  public static Regularizer named(String name, String param) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return switch (n) {
      case "l1" -> l1(0.01);
      case "l2" -> l2(0.01);
      case "l1_l2" -> new Regularizer(0.01, 0.01);
      default -> throw DlnRuntimeException.value(param + " must be l1(...), l2(...) or l1_l2(...), got '" + n + "'");
    };
  }
}
