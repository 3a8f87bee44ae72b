package dln.runtime.nn;

import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs one layer (or model) on eager arrays in inference mode, through a small SameDiff graph
 * built once per input shape and bound to the layer's live weights (so later training is seen).
 */
final class EagerRunner {
  private static final int MAX_CACHED_SHAPES = 4;

  private record Compiled(SameDiff sd, List<String> inputs, List<String> outputs) {}

  private final Layer layer;
  private final Map<String, Compiled> cache = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Compiled> e) {
      return size() > MAX_CACHED_SHAPES;
    }
  };

  EagerRunner(Layer layer) {
    this.layer = layer;
  }

  List<INDArray> run(List<INDArray> xs) {
    List<long[]> shapes = new ArrayList<>();
    for (INDArray x : xs) {
      long[] s = x.shape().clone();
      if (s.length == 0) s = new long[] {1};
      s[0] = Shapes.UNKNOWN;
      shapes.add(s);
    }
    layer.ensureBuilt(shapes);
    // A model's graph may change (Sequential.add): its version is part of the key.
    String key = Shapes.format(shapes) + (layer instanceof Model m ? " v" + m.version() : "");
    Compiled c = cache.computeIfAbsent(key, k -> compile(shapes));
    Map<String, INDArray> feed = new LinkedHashMap<>();
    for (int i = 0; i < xs.size(); i++) feed.put(c.inputs.get(i), xs.get(i).castTo(DataType.FLOAT));
    Map<String, INDArray> out = c.sd.output(feed, c.outputs);
    List<INDArray> result = new ArrayList<>();
    for (String o : c.outputs) result.add(out.get(o).dup());
    return result;
  }

  private Compiled compile(List<long[]> shapes) {
    SameDiff sd = SameDiff.create();
    GraphContext ctx = new GraphContext(sd, false);
    List<SDVariable> ins = new ArrayList<>();
    List<String> inNames = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      SDVariable p = sd.placeHolder("input_" + i, DataType.FLOAT, shapes.get(i));
      ins.add(p);
      inNames.add(p.name());
    }
    List<String> outNames = new ArrayList<>();
    for (SDVariable v : layer.call(ctx, ins, shapes)) {
      // An identity layer returns its input; the graph still needs a distinct output to fetch.
      SDVariable o = ins.contains(v) ? v.add(0.0) : v;
      outNames.add(o.name());
    }
    return new Compiled(sd, inNames, outNames);
  }
}
