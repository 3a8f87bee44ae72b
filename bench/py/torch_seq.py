"""PyTorch side of issue 15's sequence workloads, for comparison with TrainBench's `lstm,emb`
(runtime/src/test/java/dln/runtime/train/fast/TrainBench.java): LSTM(64) over 20 steps x 8
features -> Linear(1), and Embedding(10,000, 64) -> LSTM(64) over 100 random tokens -> Linear(1);
Adam (lr 1e-3), binary cross-entropy on logits, batch 64, a warm-up of 1,280 sequences, then
three timed epochs of 8,192; prints the median samples/s. Not yet wired into bench/run.sh.

Run: OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=passive /usr/bin/python3 bench/py/torch_seq.py
"""
import os, time, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(os.cpu_count())
class Net(nn.Module):
    def __init__(self, emb):
        super().__init__()
        self.emb = nn.Embedding(10000, 64) if emb else None
        self.lstm = nn.LSTM(64 if emb else 8, 64, batch_first=True)
        self.out = nn.Linear(64, 1)
    def forward(self, x):
        if self.emb is not None: x = self.emb(x)
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])
def epoch(m, opt, x, y):
    perm = torch.randperm(len(x))
    for s in range(0, len(x), 64):
        b = perm[s:s+64]
        opt.zero_grad(set_to_none=True)
        F.binary_cross_entropy_with_logits(m(x[b]), y[b]).backward()
        opt.step()
n = 8192
for emb in (False, True):
    torch.manual_seed(0)
    x = torch.randint(0, 10000, (n, 100)) if emb else torch.randn(n, 20, 8)
    y = (torch.rand(n, 1) > 0.5).float()
    m = Net(emb); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    epoch(m, opt, x[:1280], y[:1280])
    ts = []
    for r in range(3):
        t = time.perf_counter(); epoch(m, opt, x, y); ts.append(time.perf_counter() - t)
    ts.sort()
    print(("emb" if emb else "lstm"), "pytorch median %.1f samples/s (%.2f s/epoch) all %s" % (n / ts[1], ts[1], ts))
