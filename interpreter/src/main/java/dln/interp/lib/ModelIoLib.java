package dln.interp.lib;

import dln.interp.call.Args;
import dln.interp.call.TypeTable;
import dln.interp.value.None;
import dln.runtime.io.ModelFiles;
import dln.runtime.io.ModelJson;
import dln.runtime.nn.Model;
import dln.runtime.onnx.OnnxImporter;
import dln.runtime.train.session.TrainingSession;
import dln.runtime.transfer.Freezing;
import java.nio.file.Path;

/**
 * Model files, architectures as JSON, ONNX import and freezing: {@code model.save(path)},
 * {@code load_model(path)}, {@code model.to_json()}, {@code model_from_json(text)},
 * {@code model.save_weights / load_weights}, {@code import_onnx(path)},
 * {@code model.freeze(upto=...)}, {@code model.unfreeze()}. Every file access goes through the
 * interpreter's sandbox ({@code checkRead} / {@code checkWrite}).
 */
public final class ModelIoLib implements Library {
  @Override
  public void install(Globals g) {
    g.def("load_model", "filepath|path",
        "Loads a model saved with model.save: architecture, weights, compile settings, optimiser state and history. "
            + "Truncated, corrupted, foreign or newer-format files are refused with an error saying which.\n"
            + "Example: model = load_model('mnist.dlnm')",
        a -> ModelFiles.load(read(a)));
    g.def("model_from_json", "text|json",
        "Builds a model (fresh weights) from the architecture text of model.to_json().\n"
            + "Example: twin = model_from_json(model.to_json())",
        a -> ModelJson.fromJson(a.string("text")));
    g.def("import_onnx", "filepath|path",
        "Imports an ONNX model (from PyTorch or tf2onnx) as an ordinary DLN model. Image models take channels-last "
            + "input: transpose ONNX's NCHW batches with x.permute(0, 2, 3, 1).\n"
            + "Example: resnet = import_onnx('resnet18.onnx'); resnet.summary()",
        a -> OnnxImporter.importFile(read(a)));
    g.def("file_exists", "path",
        "True when the file exists (the sandbox must allow reading it).\n"
            + "Example: if file_exists('resnet18.onnx'): net = import_onnx('resnet18.onnx')",
        a -> java.nio.file.Files.isRegularFile(a.invoker().checkRead(a.string("path"))));
    TypeTable.define(Model.class, "Model")
        .method("save", "filepath|path, include_optimizer?",
            "Writes the model to one file (zip: architecture, weights, compile settings, optimiser state unless "
                + "include_optimizer=false, history, SHA-256 checksums), atomically.\nExample: model.save('mnist.dlnm')",
            (Model m, Args a) -> {
              Path p = a.invoker().checkWrite(a.string("filepath"));
              ModelFiles.save(m, p, a.bool("include_optimizer", true));
              return None.NONE;
            })
        .method("save_weights", "filepath|path", "Writes only the weights (load them with model.load_weights).\n"
                + "Example: model.save_weights('weights.dlnw')",
            (Model m, Args a) -> {
              ModelFiles.saveWeights(m, a.invoker().checkWrite(a.string("filepath")));
              return None.NONE;
            })
        .method("load_weights", "filepath|path", "Loads weights saved by save_weights (or from a model file) into this "
                + "model, which must have the same architecture.\nExample: model.load_weights('weights.dlnw')",
            (Model m, Args a) -> {
              ModelFiles.loadWeights(m, read(a));
              return None.NONE;
            })
        .method("to_json", "", "The architecture (layers, settings, connections; no weights) as JSON text.\n"
                + "Example: text = model.to_json(); twin = model_from_json(text)",
            (Model m, Args a) -> ModelJson.toJson(m))
        .method("freeze", "upto?", "Freezes the layers up to and including the named one (all layers without upto); "
                + "later layers stay trainable. Frozen weights do not change in training. Returns the number frozen.\n"
                + "Example: base.freeze(upto='dense_1')",
            (Model m, Args a) -> (long) Freezing.freeze(m, a.has("upto") ? a.nameLike("upto") : null))
        .method("unfreeze", "", "Makes every layer trainable again (for fine-tuning the whole model).\n"
                + "Example: base.unfreeze()",
            (Model m, Args a) -> {
              Freezing.unfreeze(m);
              return None.NONE;
            })
        .attr("history", m -> {
          Object h = TrainingSession.of(m).history();
          return h == null ? None.NONE : h;
        });
  }

  private static Path read(Args a) {
    return a.invoker().checkRead(a.string("filepath"));
  }
}
