# Expected values for SequencesTest's sequences of vectors and the golden pad_sequences_vectors.dln:
# keras.utils.pad_sequences's algorithm (keras/src/utils/sequence_utils.py) restated in NumPy
# (Keras itself is not installed here). Run: python3 pad_vectors_reference.py
import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    lengths = [len(s) for s in sequences]
    # The sample shape is the first non-empty sequence's steps' shape.
    sample_shape = next((np.asarray(s).shape[1:] for s in sequences if len(s)), ())
    if maxlen is None:
        maxlen = max(lengths) if lengths else 0
    x = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for i, s in enumerate(sequences):
        if not len(s):
            continue
        trunc = np.asarray(s[-maxlen:] if truncating == "pre" else s[:maxlen], dtype=dtype)
        if trunc.shape[1:] != sample_shape:
            raise ValueError(f"Shape of sample {trunc.shape[1:]} of sequence at position {i} "
                             f"is different from expected shape {sample_shape}")
        if padding == "post":
            x[i, :len(trunc)] = trunc
        else:
            x[i, -len(trunc):] = trunc
    return x


seqs = [[[1, 2], [3, 4], [5, 6]], [[7, 8]], [], [[9, 10], [11, 12], [13, 14], [15, 16]]]
print(pad_sequences(seqs).shape, pad_sequences(seqs).tolist())
print(pad_sequences(seqs, maxlen=2, padding="post").tolist())
print(pad_sequences(seqs, maxlen=3, truncating="post", value=-1).tolist())
halves = [[[0.5, 1.5, 2.5]], [[3.25, 4.5, 5.75], [6.5, 7.5, 8.5]]]
print(pad_sequences(halves, dtype="float32", padding="post", value=9.0).tolist())
print(pad_sequences(halves).tolist())
print(pad_sequences([np.ones((2, 2, 2)), np.zeros((1, 2, 2))], maxlen=3).shape)
try:
    pad_sequences([[[1, 2]], [[3, 4, 5]]])
except ValueError as e:
    print("ValueError:", e)
