"""The PyTorch peer of Tickets' linear-mode-connectivity figures: LeNet-300-100,
Glorot init, SGD 0.1, batch 60, one epoch on Fashion-MNIST. Two copies of one init
trained with data orders 1 and 2, and two nets from inits 0 and 1; the error barrier
(max over 30 alphas of the test error minus the mean of the ends) of each pair.
The barrier between two inits depends much on which two: `--pairs N` measures the
inits (0, 1), (2, 3), ... and prints each and the range.
Run: ~/.cache/tickets-venv/bin/python bench/torch_lmc.py [--pairs N]   (Tickets' side: bench/lmc.tks)
"""
import sys, copy, torch, torch.nn.functional as F
sys.path.insert(0, __import__("os").path.dirname(__file__))
from torch_lenet import load, LeNet, train_epoch
torch.set_num_threads(2)
x, y, tx, ty = load()
def err(net):
    with torch.no_grad():
        return (net(tx).argmax(1) != ty).float().mean().item()
def lmc(a, b, steps=30):
    m = copy.deepcopy(a); out = []
    for i in range(steps):
        al = i / (steps - 1)
        sd = {k: al * a.state_dict()[k] + (1 - al) * b.state_dict()[k] for k in a.state_dict()}
        m.load_state_dict(sd); out.append(err(m))
    return max(out) - (out[0] + out[-1]) / 2, out
torch.manual_seed(0); a = LeNet(); b = copy.deepcopy(a)
train_epoch(a, None, x, y, seed=1); train_epoch(b, None, x, y, seed=2)
print("same init", lmc(a, b)[0])
pairs = int(sys.argv[sys.argv.index("--pairs") + 1]) if "--pairs" in sys.argv else 1
bars = []
for p in range(pairs):
    torch.manual_seed(2 * p); a = LeNet(); torch.manual_seed(2 * p + 1); b = LeNet()
    train_epoch(a, None, x, y, seed=0); train_epoch(b, None, x, y, seed=0)
    bar, curve = lmc(a, b)
    bars.append(bar)
    print(f"diff init {2 * p} {2 * p + 1}", bar, [round(c, 3) for c in curve] if pairs == 1 else "")
if pairs > 1:
    print(f"diff init range {min(bars):.4f} .. {max(bars):.4f} over {pairs} pairs")
