// Layout and buffers of the fused network (compiled once, no SIMD: none of this is hot).
#include "network.hpp"

namespace salescast {

ParamOffsets computeOffsets(const NetShape& s) {
  ParamOffsets o;
  size_t at = 0;
  auto take = [&at](size_t n) { size_t start = at; at += n; return start; };
  const size_t G = 4 * (size_t)s.H;
  o.convW = take((size_t)s.C * s.F * s.K);
  o.convB = take(s.C);
  for (int l = 0; l < s.L; l++) {
    LayerOffsets lo;
    lo.In = l == 0 ? s.C : s.H;
    lo.wIh = take(G * lo.In);
    lo.wHh = take(G * s.H);
    lo.bIh = take(G);
    lo.bHh = take(G);
    o.lstm.push_back(lo);
  }
  o.fcW = take((size_t)s.O * s.H);
  o.fcB = take(s.O);
  o.total = at;
  return o;
}

void ensureCapacity(ChunkWorkspace& ws, const NetShape& s, size_t paramCount, int rows, bool withGradients) {
  if (rows <= ws.capacity && (!withGradients || ws.withGradients)) return;
  const int b = rows > ws.capacity ? rows : ws.capacity;
  const size_t Tc = s.Tc(), H = s.H, G = 4 * (size_t)s.H;
  ws.capacity = b;
  ws.withGradients = ws.withGradients || withGradients;
  ws.x.assign((size_t)b * s.F * s.T, 0.0f);
  ws.conv.assign(Tc * b * s.C, 0.0f);
  ws.layers.resize(s.L);
  for (LayerBuffers& lb : ws.layers) {
    lb.gates.assign(Tc * b * G, 0.0f);
    lb.h.assign((Tc + 1) * b * H, 0.0f);
    lb.c.assign((Tc + 1) * b * H, 0.0f);
    lb.tanhC.assign(Tc * b * H, 0.0f);
    if (ws.withGradients) {
      lb.dOutput.assign(Tc * b * H, 0.0f);
      lb.dGates.assign(Tc * b * G, 0.0f);
      lb.dC.assign((size_t)b * H, 0.0f);
    }
  }
  if (ws.withGradients) {
    ws.dConv.assign(Tc * b * s.C, 0.0f);
    ws.grad.assign(paramCount, 0.0f);
    ws.dwT.assign((size_t)s.F * s.K * s.C, 0.0f);
    ws.colSum.assign(G, 0.0f);
  }
}

}  // namespace salescast
