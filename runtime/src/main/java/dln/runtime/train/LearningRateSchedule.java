package dln.runtime.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A learning rate that changes during training (the workshop's "learning rate shapes"). Given to
 * an optimiser ({@link Optimizer#setSchedule}), it is asked before every step.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "class_name")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StepDecay.class, name = "StepDecay"),
    @JsonSubTypes.Type(value = ExponentialDecay.class, name = "ExponentialDecay"),
    @JsonSubTypes.Type(value = CosineDecay.class, name = "CosineDecay")})
public interface LearningRateSchedule {
  /**
   * @param step optimiser steps taken so far (0 for the first step)
   * @param epoch the current epoch (0-based)
   */
  double rate(long step, int epoch);
}
