# Hand-computed reference (float64, plain Python): an LSTM run as PyTorch's pack_padded_sequence runs it,
# i.e. each sequence only over its own length, the backward direction from its own last step.
import math
F,u,T=2,3,5
K=[[0.3*math.sin(7*i+j) for j in range(4*u)] for i in range(F)]
R=[[0.3*math.cos(5*i+j) for j in range(4*u)] for i in range(u)]
B=[0.2*math.sin(j+1) for j in range(4*u)]
sig=lambda z:1/(1+math.exp(-z))
def run(seq, sc):
    h=[0.0]*u; c=[0.0]*u; outs=[]
    for xt in seq:
        z=[sc*(sum(xt[f]*K[f][j] for f in range(F))+sum(h[k]*R[k][j] for k in range(u))+B[j]) for j in range(4*u)]
        i=[sig(v) for v in z[0:u]]; fg=[sig(v) for v in z[u:2*u]]; g=[math.tanh(v) for v in z[2*u:3*u]]; o=[sig(v) for v in z[3*u:]]
        c=[fg[j]*c[j]+i[j]*g[j] for j in range(u)]
        h=[o[j]*math.tanh(c[j]) for j in range(u)]
        outs.append(h)
    return outs
lengths=[5,3,1]
x=[[[math.sin(3*t+f+n) for f in range(F)] for t in range(lengths[n])] for n in range(3)]
last=[]; bidir=[]
for n in range(3):
    f=run(x[n],1.0); last+=f[-1]
    b=run(x[n][::-1],-1.0)[::-1]   # backward copy: its weights are the forward ones negated
    for t in range(T):
        bidir += (f[t]+b[t]) if t<lengths[n] else [0.0]*(2*u)
# Output: packed_lstm_reference.txt, one line per check: its name, then its values.
fmt=lambda a:" ".join("%.9f"%v for v in a)
print("last "+fmt(last))
print("bidir "+fmt(bidir))
