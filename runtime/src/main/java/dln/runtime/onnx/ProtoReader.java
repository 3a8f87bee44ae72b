package dln.runtime.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A reader of the protobuf wire format over a byte range: fields are (number, wire type) tags
 * followed by a varint (type 0), 8 bytes (type 1), a length-delimited payload (type 2) or 4 bytes
 * (type 5). Every read is bounds-checked; a malformed message throws {@link BadProto}.
 */
final class ProtoReader {
  /** The input is not a well-formed protobuf message. */
  static final class BadProto extends RuntimeException {
    BadProto(String message) {
      super(message);
    }
  }

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private final int end;
  private int tag;

  ProtoReader(byte[] buf, int from, int to) {
    this.buf = buf;
    this.pos = from;
    this.end = to;
  }

  ProtoReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() {
    if (pos >= end) return false;
    long t = varint();
    if (t >>> 3 == 0 || t > Integer.MAX_VALUE) throw new BadProto("invalid field tag " + t + " at byte " + pos);
    tag = (int) t;
    return true;
  }

  int field() {
    return tag >>> 3;
  }

  int wireType() {
    return tag & 7;
  }

  long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw new BadProto("message ends inside a number");
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) return result;
    }
    throw new BadProto("malformed varint at byte " + pos);
  }

  int fixed32() {
    need(4);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  long fixed64() {
    long lo = fixed32() & 0xffffffffL;
    long hi = fixed32() & 0xffffffffL;
    return lo | hi << 32;
  }

  /** A length-delimited payload as a sub-reader (the position moves past it). */
  ProtoReader message() {
    int len = length();
    ProtoReader r = new ProtoReader(buf, pos, pos + len);
    pos += len;
    return r;
  }

  String string() {
    int len = length();
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** Offset and length of a length-delimited payload (raw tensor data is read in place). */
  int[] span() {
    int len = length();
    int[] s = {pos, len};
    pos += len;
    return s;
  }

  byte[] buffer() {
    return buf;
  }

  private int length() {
    long len = varint();
    if (len < 0 || len > end - pos) throw new BadProto("a field claims " + len + " bytes but only " + (end - pos) + " remain");
    return (int) len;
  }

  private void need(int n) {
    if (end - pos < n) throw new BadProto("message ends inside a field");
  }

  /** Skips the current field's value. */
  void skip() {
    switch (wireType()) {
      case VARINT -> varint();
      case FIXED64 -> {
        need(8);
        pos += 8;
      }
      case LEN -> {
        int len = length(); // read first: "pos += length()" would add to the old position
        pos += len;
      }
      case FIXED32 -> {
        need(4);
        pos += 4;
      }
      default -> throw new BadProto("unsupported wire type " + wireType() + " in field " + field());
    }
  }

  /** A repeated int64 field, packed or not: appends to {@code out}. */
  void int64s(LongList out) {
    if (wireType() == LEN) {
      ProtoReader p = message();
      while (p.pos < p.end) out.add(p.varint());
    } else {
      out.add(varint());
    }
  }

  /** A repeated float field, packed or not. */
  void floats(FloatList out) {
    if (wireType() == LEN) {
      ProtoReader p = message();
      while (p.pos < p.end) out.add(Float.intBitsToFloat(p.fixed32()));
    } else {
      out.add(Float.intBitsToFloat(fixed32()));
    }
  }

  /** A repeated double field, packed or not. */
  void doubles(FloatList out) {
    if (wireType() == LEN) {
      ProtoReader p = message();
      while (p.pos < p.end) out.add((float) Double.longBitsToDouble(p.fixed64()));
    } else {
      out.add((float) Double.longBitsToDouble(fixed64()));
    }
  }

  /** A growable long array. */
  static final class LongList {
    long[] a = new long[8];
    int n;

    void add(long v) {
      if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }

  /** A growable float array. */
  static final class FloatList {
    float[] a = new float[8];
    int n;

    void add(float v) {
      if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
