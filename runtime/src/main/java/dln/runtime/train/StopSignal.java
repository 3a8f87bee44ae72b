package dln.runtime.train;

/**
 * Keras's {@code stop_training}: raised by a callback (EarlyStopping, TerminateOnNaN) or by user
 * code during {@code fit}, it ends training after the current batch. One per model's training
 * session, so a flag raised from any thread is seen by that model's fit loop.
 */
public final class StopSignal {
  private volatile boolean raised;

  public void set(boolean stop) {
    this.raised = stop;
  }

  public boolean isSet() {
    return raised;
  }
}
