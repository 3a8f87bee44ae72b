package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The five dtypes DLN shows users (bool, int32, int64, float32, float64), their names, and numpy's
 * promotion rule between them. Python numbers are "weak": {@code int_tensor + 1} stays an int
 * tensor, {@code float32_tensor * 2.5} stays float32.
 */
final class DTypes {
  private DTypes() {}

  static DataType byName(String name) {
    return switch (name) {
      case "float32", "float" -> DataType.FLOAT;
      case "float64", "double" -> DataType.DOUBLE;
      case "int32" -> DataType.INT;
      case "int64", "int", "long" -> DataType.LONG;
      case "bool", "boolean" -> DataType.BOOL;
      case "uint8" -> DataType.UBYTE;
      default -> throw DlnRuntimeException.value("unknown dtype '" + name + "'",
          "use one of float32, float64, int32, int64, bool");
    };
  }

  static String name(DataType t) {
    return switch (t) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      case INT -> "int32";
      case LONG -> "int64";
      case BOOL -> "bool";
      case HALF -> "float16";
      case UBYTE -> "uint8";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  static boolean isFloat(DataType t) {
    return t.isFPType();
  }

  static boolean isInt(DataType t) {
    return t.isIntType();
  }

  /** Order used for promotion; unusual ND4J types rank with float32. */
  private static int rank(DataType t) {
    return switch (t) {
      case BOOL -> 0;
      case INT, SHORT, BYTE, UBYTE, UINT16, UINT32 -> 1;
      case LONG, UINT64 -> 2;
      case DOUBLE -> 4;
      default -> 3;
    };
  }

  /** One of the five user-facing types for any ND4J type. */
  static DataType normal(DataType t) {
    return switch (rank(t)) {
      case 0 -> DataType.BOOL;
      case 1 -> DataType.INT;
      case 2 -> DataType.LONG;
      case 4 -> DataType.DOUBLE;
      default -> DataType.FLOAT;
    };
  }

  static DataType wider(DataType a, DataType b) {
    return rank(a) >= rank(b) ? normal(a) : normal(b);
  }

  /** The dtype of {@code a op b} before op-specific rules; Python numbers are weak. */
  static DataType promote(Object a, Object b) {
    if (a instanceof INDArray x && b instanceof INDArray y) return wider(x.dataType(), y.dataType());
    INDArray t = a instanceof INDArray x ? x : (INDArray) b;
    Object n = a instanceof INDArray ? b : a;
    DataType tt = normal(t.dataType());
    if (n instanceof Boolean) return tt;
    if (n instanceof Double || n instanceof Float) return isFloat(tt) ? tt : DataType.FLOAT;
    // an integral Python number
    return tt == DataType.BOOL ? DataType.LONG : tt;
  }

  /** The type {@code tensor(n)} would have for a Python number: bool, int64 or float32. */
  static DataType ofNumber(Object n) {
    if (n instanceof Boolean) return DataType.BOOL;
    if (n instanceof Double || n instanceof Float) return DataType.FLOAT;
    return DataType.LONG;
  }

  /** The tensor as the given type, sharing it when it already has that type. */
  static INDArray as(INDArray x, DataType t) {
    return x.dataType() == t ? x : x.castTo(t);
  }

  /** A float version (float32 unless already float64) for math such as exp or mean. */
  static INDArray asFloat(INDArray x) {
    return x.dataType() == DataType.DOUBLE ? x : as(x, DataType.FLOAT);
  }
}
