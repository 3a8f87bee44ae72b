# Hand-computed reference (float64, plain Python) for a masked go_backwards stack, as Keras runs it:
# Masking -> LSTM(3, go_backwards=True, return_sequences=True) -> LSTM(2) over sequences padded at their end.
# Keras (RNN with a mask, zero_output_for_mask=False): the backwards layer reads the input and its mask
# last step first, a padded step keeps the previous output (zero before the first kept step), and it
# returns its outputs in that processing order (reversed) with the input's mask unchanged
# (RNN.compute_mask returns the mask as given), which the next LSTM then reads.
import math
F,u1,u2,T=2,3,2,5
def weights(rows, u, a, b):
    return [[a*math.sin(b*i+j+1) for j in range(4*u)] for i in range(rows)]
K1=weights(F,u1,0.3,7); R1=weights(u1,u1,0.3,5); B1=[0.2*math.sin(j+1) for j in range(4*u1)]
K2=weights(u1,u2,0.4,3); R2=weights(u2,u2,0.3,2); B2=[0.1*math.cos(j) for j in range(4*u2)]
sig=lambda z:1/(1+math.exp(-z))
def run(seq, keep, K, R, B, u):
    h=[0.0]*u; c=[0.0]*u; outs=[]
    for xt,k in zip(seq,keep):
        z=[sum(xt[f]*K[f][j] for f in range(len(xt)))+sum(h[m]*R[m][j] for m in range(u))+B[j] for j in range(4*u)]
        i=[sig(v) for v in z[0:u]]; fg=[sig(v) for v in z[u:2*u]]; g=[math.tanh(v) for v in z[2*u:3*u]]; o=[sig(v) for v in z[3*u:]]
        if k:
            c=[fg[j]*c[j]+i[j]*g[j] for j in range(u)]
            h=[o[j]*math.tanh(c[j]) for j in range(u)]
        outs.append(h)
    return outs
lengths=[5,3,1]
x=[[[math.sin(3*t+f+n) if t<lengths[n] else 0.0 for f in range(F)] for t in range(T)] for n in range(3)]
first=[]; last=[]
for n in range(3):
    keep=[t<lengths[n] for t in range(T)]
    seq=run(x[n][::-1], keep[::-1], K1, R1, B1, u1)   # processing order, returned as is
    for t in range(T): first+=seq[t]
    last+=run(seq, keep, K2, R2, B2, u2)[-1]
fmt=lambda a:" ".join("%.9f"%v for v in a)
print("backwards_sequence "+fmt(first))
print("stack_last "+fmt(last))
