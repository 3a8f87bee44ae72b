"""Writes lstm_torch.json: a PyTorch LSTM's weights (in Keras layout), an input and its output.

Run with Debian's PyTorch: /usr/bin/python3 make_lstm_fixture.py
PyTorch's gate order (i, f, g, o) is Keras's (i, f, c, o); kernels are transposed, and the two
PyTorch biases add up to Keras's one.
"""
import json
import torch

torch.manual_seed(0)
lstm = torch.nn.LSTM(input_size=2, hidden_size=3, batch_first=True)
x = torch.randn(2, 4, 2)
with torch.no_grad():
    y, _ = lstm(x)
fixture = {
    "kernel": lstm.weight_ih_l0.detach().T.tolist(),
    "recurrent_kernel": lstm.weight_hh_l0.detach().T.tolist(),
    "bias": (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().tolist(),
    "input": x.tolist(),
    "output": y.tolist(),
    "torch": torch.__version__,
}
with open("lstm_torch.json", "w") as f:
    json.dump(fixture, f, indent=1)
