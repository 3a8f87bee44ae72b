package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.runtime.nn.LayerNames;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Layers, models and training from DLN source, through the interpreter, as a user sees them. */
class ModelLibTest {
  @BeforeEach
  void names() {
    LayerNames.reset();
  }

  private static ScriptRun run(String code) {
    return run(code, null);
  }

  private static ScriptRun run(String code, java.nio.file.Path writable) {
    Dln.Builder b = Dln.builder();
    if (writable != null) b.sandbox(dln.interp.sandbox.Sandbox.allowWrite(writable));
    return ScriptRun.of(code, b);
  }

  @Test
  void slideLinesRunAsWritten() {
    ScriptRun r = run("""
        model = Sequential()
        for fn in ['linear', 'sigmoid', 'tanh', 'relu', 'elu', ]:
            model.add(Dense(64, activation=fn))
        input = Input(shape=(28, 28, 1))
        hidden1 = Conv2D(128, 5, strides=(2, 2), padding='same')(input)
        hidden2 = MaxPooling2D(pool_size=(2, 2))(hidden1)
        previous_layer = Flatten()(hidden2)
        hidden6 = DropOut(0.5)(previous_layer)
        output = Softmax()(Dense(1000)(Dense(2048, activation='relu')(hidden6)))
        model2 = Model(inputs=input, outputs=output)
        print(hidden1.shape, hidden2.shape, output.shape)
        model_regression = Sequential([Dense(1, input_shape=(3,))])
        model_regression.compile(loss='mean_squared_error')
        model_classifier = Sequential([Input(4), Dense(3, softmax)])
        model_classifier.compile(loss='categorical_crossentropy')
        """);
    assertEquals("(none, 14, 14, 128) (none, 7, 7, 128) (none, 1000)\n", r.output());
    assertInstanceOf(Model.class, r.get("model2"));
    assertEquals(5, ((Sequential) r.get("model")).layers().size());
  }

  @Test
  void terseFormsAndChains() {
    ScriptRun r = run("""
        net = Input(784) -> Dense(512, relu) -> Dropout(0.2) -> Dense(10, softmax)
        conv = Conv2D(128, 5, stride 2)
        seq = Dense(64, relu) -> Dense(10)
        print(net.shape, conv.name, type(seq).__name__)
        """);
    assertTrue(r.output().startsWith("(none, 10) conv2d Sequential"), r.output());
  }

  @Test
  void summaryPrintsKerasCounts() {
    ScriptRun r = run("""
        model = Sequential()
        model.add(Dense(512, activation='relu', input_shape=(784,)))
        model.add(Dropout(0.2))
        model.add(Dense(512, activation='relu'))
        model.add(Dropout(0.2))
        model.add(Dense(10, activation='softmax'))
        model.summary()
        print(model.count_params())
        """);
    assertTrue(r.output().contains("Total params: 669,706"), r.output());
    assertTrue(r.output().endsWith("669706\n"), r.output());
  }

  @Test
  void functionalResidualBlockWithActivationOnTensors() {
    ScriptRun r = run("""
        def block(x, n):
            y = Conv2D(n, 3, padding='same', activation=relu)(x)
            return relu(Add()([x, Conv2D(n, 3, padding='same')(y)]))
        inputs = Input(shape=(8, 8, 4))
        out = Dense(2, softmax)(Flatten()(block(inputs, 4)))
        m = Model(inputs=inputs, outputs=out)
        print(len(m.layers), m.count_params(), out.shape)
        print(type(m.get_layer('activation')).__name__)
        """);
    assertTrue(r.output().startsWith("7 " + (2 * (3 * 3 * 4 * 4 + 4) + 8 * 8 * 4 * 2 + 2) + " (none, 2)\nActivation\n"), r.output());
  }

  @Test
  void shapeErrorsPointAtTheCall() {
    ScriptRun r = run("""
        x = Input(shape=(28, 28, 1))
        y = Dense(10)(x)
        """);
    assertTrue(r.output().contains("test.dln:2"), r.output());
    assertTrue(r.output().contains("(None, 28, 28, 1)") && r.output().contains("Flatten()"), r.output());
  }

  @Test
  void trainsEvaluatesPredictsAndCallsBack() {
    ScriptRun r = run("""
        seed(3)
        x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
        y = tensor([[0], [1], [1], [0]])
        model = Sequential([Input(2), Dense(8, tanh), Dense(1, sigmoid)])
        model.compile(optimizer=Adam(lr=0.05), loss='binary_crossentropy', metrics=['accuracy'])
        seen = []
        def on_epoch(epoch, logs):
            seen.append(epoch)
        history = model.fit(x, y, epochs=300, batch_size=4, verbose=0, callbacks=[on_epoch], seed=1)
        loss, acc = model.evaluate(x, y)
        p = model.predict(x)
        print(len(history.history['loss']), len(history.epochs), len(seen), acc)
        print(p.shape)
        """);
    assertEquals("300 300 300 1.0\n(4, 1)\n", r.output());
  }

  @Test
  void fitPrintsOneLinePerEpochWhenNotInteractive() {
    ScriptRun r = run("""
        x = randn(32, 3)
        y = x @ tensor([[1.0], [2.0], [-1.0]])
        model = Sequential([Dense(1, input_shape=(3,))])
        model.compile(optimizer='sgd', loss='mse', metrics=['mae'])
        h = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25)
        """);
    String[] lines = r.output().split("\n");
    assertEquals(2, lines.length, r.output());
    assertTrue(lines[0].startsWith("Epoch 1/2 - ") && lines[0].contains("val_mae: "), r.output());
  }

  @Test
  void fitDataErrorsExplainTheArithmetic() {
    ScriptRun r = run("""
        model = Sequential([Input(4), Dense(3, softmax)])
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        model.fit(zeros(10, 4), tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]))
        """);
    assertTrue(r.output().contains("test.dln:3"), r.output());
    assertTrue(r.output().contains("sparse_categorical_crossentropy"), r.output());
  }

  @Test
  void layerAttributesAndFreezing() {
    ScriptRun r = run("""
        d = Dense(3, name='hidden')
        out = d(Input(2))
        print(d.name, d.trainable, len(d.weights), d.weights[0].shape, d.output.shape, d.input.shape)
        d.trainable = false
        m = Model(d.input, Dense(1)(d.output))
        print(m.count_params(), d.trainable)
        y = d(ones(5, 2))
        print(y.shape)
        """);
    assertEquals("hidden true 2 (2, 3) (none, 3) (none, 2)\n13 false\n(5, 3)\n", r.output());
  }

  @Test
  void schedulesAndCallbacksFromDln() {
    ScriptRun r = run("""
        s = step_decay(0.1, drop=0.5, epochs_drop=2)
        print(s(0), s(2), s(5))
        opt = SGD(learning_rate=s)
        es = EarlyStopping(monitor='loss', patience=2)
        x = randn(16, 2)
        model = Sequential([Input(2), Dense(1)])
        model.compile(optimizer=opt, loss='mse')
        h = model.fit(x, x @ tensor([[1.0], [1.0]]), epochs=3, verbose=0, callbacks=[es, TerminateOnNaN()])
        print(len(h.epochs))
        model.compile(optimizer=SGD(lr=0.1), loss='mse')
        h = model.fit(x, x @ tensor([[1.0], [1.0]]), epochs=2, verbose=0, callbacks=[ReduceLROnPlateau(monitor='loss')])
        print(h.history['lr'])
        model.compile(optimizer=SGD(learning_rate=step_decay(0.1)), loss='mse')
        model.fit(x, x @ tensor([[1.0], [1.0]]), epochs=1, verbose=0, callbacks=[ReduceLROnPlateau(monitor='loss')])
        """);
    assertTrue(r.output().startsWith("0.1 0.05 0.025\n3\n[0.1, 0.1]\n"), r.output());
    assertTrue(r.output().contains("hint: use either a schedule or ReduceLROnPlateau"), r.output());
  }

  /**
   * The Keras keywords reach the callbacks from DLN (the rules themselves are pinned in the
   * runtime's CallbackRulesTest): baseline and start_from_epoch for EarlyStopping, and
   * save_weights_only for ModelCheckpoint writing a weights file (Keras's save_weights) per
   * epoch, named with {epoch:02d} counting from 1.
   */
  @Test
  void kerasCallbackKeywordsFromDln(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String d = dir.toString().replace("\\", "/");
    ScriptRun r = run("""
        seed(3)
        x = randn(32, 2)
        y = x @ tensor([[1.0], [-1.0]])
        model = Sequential([Input(2), Dense(1)])
        model.compile(optimizer=SGD(learning_rate=0.01), loss='mse')
        es = EarlyStopping(monitor='loss', patience=2, min_delta=10, baseline=-1.0)
        h = model.fit(x, y, epochs=10, verbose=0, callbacks=[es])
        print('baseline never beaten:', len(h.epochs))
        es = EarlyStopping(monitor='loss', patience=0, min_delta=100, start_from_epoch=3, restore_best_weights=true)
        h = model.fit(x, y, epochs=10, verbose=0, callbacks=[es])
        print('warm-up of 3:', len(h.epochs))
        ck = ModelCheckpoint('DIR/w-{epoch:02d}.dlnw', monitor='loss', save_weights_only=true)
        model.fit(x, y, epochs=2, verbose=0, callbacks=[ck])
        other = Sequential([Input(2), Dense(1)])
        other.load_weights('DIR/w-02.dlnw')
        print('weights file:', float(abs(other.predict(x) - model.predict(x)).max()))
        load_model('DIR/w-01.dlnw')
        """.replace("DIR", d), dir);
    assertTrue(r.output().startsWith("baseline never beaten: 2\nwarm-up of 3: 5\nweights file: 0.0\n"), r.output());
    assertTrue(r.output().contains("weights file (from save_weights)"), "a weights-only checkpoint is no model file: " + r.output());
  }

  @Test
  void eagerActivationsStillWork() {
    ScriptRun r = run("print(relu(tensor([-1.0, 2.0])))");
    assertFalse(r.output().contains("error"), r.output());
    assertTrue(r.output().contains("2"), r.output());
  }

  @Test
  void modelZooBuildsAndTrains() {
    ScriptRun r = run("""
        print(mlp([784, 512, 512, 10], dropout=0.2).count_params(), mnist_cnn().count_params(), lenet5().count_params())
        net = resnet(depth=8, classes=4, input_shape=(8, 8, 1))
        net.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        h = net.fit(randn(8, 8, 8, 1), tensor([0, 1, 2, 3, 0, 1, 2, 3]), epochs=2, batch_size=4, verbose=0)
        print(len(h.history['loss']), net.predict(randn(3, 8, 8, 1)).shape)
        g = googlenet(classes=3, input_shape=(8, 8, 1))
        print(g.output.shape)
        """);
    assertTrue(r.output().startsWith("669706 1199882 61706\n2 (3, 4)\n(none, 3)\n"), r.output());
  }
}
