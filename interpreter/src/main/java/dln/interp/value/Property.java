package dln.interp.value;

import dln.interp.call.Callable;

/**
 * Python's {@code @property}: a class member read as an attribute, its value computed by the
 * getter on each read ({@code self.metrics} in a keras.Model subclass that lists its own trackers).
 *
 * @param getter the decorated function, called with the instance
 */
public record Property(Callable getter) {}
