package dln.jupyter;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * jjava's connection (heartbeat, iopub and stdin channels, handler table, reply environments) with
 * {@link GuardedShellChannel}s in place of its shell and control channels. The parent's own shell
 * and control sockets are created by its constructor but never bound, and are closed with it.
 */
final class KernelConnection extends JupyterConnection {
  private final KernelConnectionProperties props;
  private final ZMQ.Context context = ZMQ.context(1);
  private final GuardedShellChannel guardedShell;
  private final GuardedShellChannel guardedControl;
  private volatile boolean connected;
  private volatile boolean closed;

  KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
    super(props);
    this.props = props;
    this.guardedShell = new GuardedShellChannel(context, props.createHMACGenerator(), false, this);
    this.guardedControl = new GuardedShellChannel(context, props.createHMACGenerator(), true, this);
  }

  @Override
  public synchronized void connect() {
    if (connected) return;
    heartbeat.bind(props);
    guardedShell.bind(props);
    guardedControl.bind(props);
    stdin.bind(props);
    iopub.bind(props);
    iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    connected = true;
  }

  /** After a failed cell: the execute requests queued on the shell channel are answered "aborted". */
  void abortQueuedExecutes() {
    guardedShell.abortQueuedExecutes();
  }

  /** True once shutdown (or close) has ended the connection. */
  boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    guardedShell.close();
    guardedControl.close();
    super.close();
    context.close();
  }

  @Override
  public void waitUntilClose() {
    guardedShell.waitUntilClose();
    guardedControl.waitUntilClose();
    super.waitUntilClose();
  }
}
