package dln.runtime.nn;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a model as plain data (Keras's functional config): each layer with its type,
 * name, trainable flag, configuration record, and the tensors each application consumed. This is
 * what a model file's {@code model.json} stores; {@code nn.layers.LayerRegistry} turns it to and from JSON.
 *
 * @param layers layers in execution order
 * @param inputs the model's input tensors as [layer name, node index, tensor index]
 * @param outputs the model's output tensors likewise
 * @param inputKeys the inputs' names when they were given by name (a dict), aligned with {@code inputs}; null otherwise
 * @param outputKeys the outputs' names likewise
 */
public record ModelSpec(String name, String type, List<LayerSpec> layers, List<TensorRef> inputs, List<TensorRef> outputs,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> inputKeys,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> outputKeys) {
  /** A reference to a tensor: output {@code tensorIndex} of application {@code nodeIndex} of a layer. */
  public record TensorRef(String layer, int nodeIndex, int tensorIndex) {}

  /** One layer: its registry type and config, and per application the tensors it consumed. */
  public record LayerSpec(String type, String name, boolean trainable, Object config, List<List<TensorRef>> inbound) {}

  /** Describes a model's graph. Node indices are renumbered within this model. */
  public static ModelSpec of(Model model) {
    List<LayerSpec> layers = new ArrayList<>();
    List<Layer> seen = new ArrayList<>();
    for (Node n : model.nodes()) if (!seen.contains(n.layer())) seen.add(n.layer());
    for (Layer l : seen) {
      List<List<TensorRef>> inbound = new ArrayList<>();
      for (Node n : model.nodes()) {
        if (n.layer() != l || n.inputs().isEmpty()) continue;
        List<TensorRef> refs = new ArrayList<>();
        for (SymbolicTensor t : n.inputs()) refs.add(ref(model, t));
        inbound.add(refs);
      }
      layers.add(new LayerSpec(l.typeName(), l.name(), l.isTrainable(), l.config(), inbound));
    }
    List<TensorRef> ins = new ArrayList<>();
    for (SymbolicTensor t : model.inputs()) ins.add(ref(model, t));
    List<TensorRef> outs = new ArrayList<>();
    for (SymbolicTensor t : model.outputs()) outs.add(ref(model, t));
    return new ModelSpec(model.name(), model.typeName(), layers, ins, outs,
        model.inputsKeyed() ? model.inputNames() : null, model.outputsKeyed() ? model.outputNames() : null);
  }

  private static TensorRef ref(Model model, SymbolicTensor t) {
    int index = 0;
    for (Node n : model.nodes()) {
      if (n == t.node()) break;
      if (n.layer() == t.layer()) index++;
    }
    return new TensorRef(t.layer().name(), index, t.index());
  }
}
