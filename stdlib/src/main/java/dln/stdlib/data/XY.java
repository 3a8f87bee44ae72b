package dln.stdlib.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Inputs and targets of one data set split: {@code x} has one sample per row of its first axis. */
public record XY(INDArray x, INDArray y) {}
