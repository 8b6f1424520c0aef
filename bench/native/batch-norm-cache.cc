// Not a test: the addon's batch norm (native/batch_norm.h) on RandWire shapes with its operands
// in cache ("hot") and out of it ("cold": 256 MB touched between calls).
//   g++ -O3 -march=native -std=c++17 -fopenmp bench/native/batch-norm-cache.cc -o /tmp/bn-cache
//   for s in "25088 16" "25088 32" "12544 78"; do OMP_NUM_THREADS=2 /tmp/bn-cache $s; done
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "../../native/batch_norm.h"

using namespace rw;

static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
static std::vector<float> junk(64 << 20);

int main(int argc, char** argv) {
  const long m = argc == 3 ? atol(argv[1]) : 0, c = argc == 3 ? atol(argv[2]) : 0;
  if (m < 1 || c < 1) {
    fprintf(stderr, "usage: bn-cache ROWS CHANNELS (whole numbers >= 1: the [rows, channels] of a batch norm)\n");
    return 2;
  }
  std::vector<float> x(m * c), y(m * c), dy(m * c), dx(m * c), scale(c, 1.1f), shift(c, 0.1f), mean(c), var(c), dscale(c), dshift(c);
  for (long i = 0; i < m * c; i++) {
    x[i] = ((i * 7) % 23 - 11) * 0.1f;
    dy[i] = ((i * 5) % 19 - 9) * 0.1f;
  }
  float* fwd[kBnTensors] = {x.data(), scale.data(), shift.data(), y.data(), mean.data(), var.data()};
  float* bwd[kBnTensors] = {x.data(), scale.data(), nullptr, nullptr, mean.data(), var.data(), dy.data(), dx.data(), dscale.data(), dshift.data()};
  for (bool cold : {false, true}) {
    double tf = 0, tb = 0;
    const int reps = 50;
    for (int r = 0; r < reps; r++) {
      if (cold)
        for (size_t j = 0; j < junk.size(); j += 16) junk[j] += 1.f;
      double t = now();
      runBatchNorm(kBnForward, m, c, 1e-3f, fwd);
      tf += now() - t;
      if (cold)
        for (size_t j = 0; j < junk.size(); j += 16) junk[j] += 1.f;
      t = now();
      runBatchNorm(kBnBackward, m, c, 1e-3f, bwd);
      tb += now() - t;
    }
    printf("%s [%ld, %ld] (%.1f MB): forward %.0f us, backward %.0f us\n", cold ? "cold" : "hot ", m, c, m * c * 4 / 1e6, tf / reps * 1e6, tb / reps * 1e6);
  }
}
