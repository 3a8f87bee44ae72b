package dln.stdlib.data;

/** A training and a test split, as Keras's {@code load_data()} returns them. */
public record TrainTest(XY train, XY test) {}
