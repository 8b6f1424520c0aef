// Not a test: how fast oneDNN 2.6's 1x1 convolutions run on RandWire C=78's pointwise shapes
// (batch 64) with their operands in cache ("hot": the same buffers again and again) and out of
// it ("cold": 256 MB touched between calls), next to sgemm on the same matrices. The training
// step's own timings (npm run bench:kernels -- --case randwire-ws-c78-n32) sit at the cold ones.
//   g++ -O2 -std=c++17 -fopenmp bench/native/conv-cache.cc -o /tmp/conv-cache -ldnnl && OMP_NUM_THREADS=2 /tmp/conv-cache
#include <chrono>
#include <cstdio>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
static std::vector<float> junk(64 << 20);

template <class F>
static double seconds(F f, bool cold) {
  for (int i = 0; i < 5; i++) f();
  const int reps = 20;
  double total = 0;
  for (int i = 0; i < reps; i++) {
    if (cold)
      for (size_t j = 0; j < junk.size(); j += 16) junk[j] += 1.f;
    const double t = now();
    f();
    total += now() - t;
  }
  return total / reps;
}

int main() {
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  const int shapes[][4] = {{64, 14, 14, 78}, {64, 7, 7, 156}, {64, 4, 4, 312}};
  for (const auto& sh : shapes) {
    const int n = sh[0], h = sh[1], w = sh[2], c = sh[3];
    const long m = (long)n * h * w;
    const double flop = 2.0 * m * c * c;
    memory::desc x({n, c, h, w}, dt::f32, tag::nhwc), wa({c, c, 1, 1}, dt::f32, tag::any);
    const memory::dims one{1, 1}, zero{0, 0};
    convolution_forward::primitive_desc fpd(
        convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, x, wa, x, one, zero, zero, zero), eng);
    convolution_backward_data::primitive_desc bpd(convolution_backward_data::desc(algorithm::convolution_direct, x, wa, x, one, zero, zero, zero), eng, fpd);
    convolution_backward_weights::primitive_desc wpd(convolution_backward_weights::desc(algorithm::convolution_direct, x, wa, x, one, zero, zero, zero), eng, fpd);
    std::vector<float> a(m * c), b(m * c), g(c * c);
    for (long i = 0; i < m * c; i++) a[i] = (i % 17) * 0.01f;
    memory am(x, eng, a.data()), bm(x, eng, b.data()), wf(fpd.weights_desc(), eng), wb(bpd.weights_desc(), eng), wg(wpd.diff_weights_desc(), eng);
    for (memory* mem : {&wf, &wb}) {
      float* p = static_cast<float*>(mem->get_data_handle());
      for (size_t i = 0; i < mem->get_desc().get_size() / 4; i++) p[i] = ((i * 5) % 13 - 6) * 0.05f;  // no denormals
    }
    convolution_forward f(fpd);
    convolution_backward_data bd(bpd);
    convolution_backward_weights bw(wpd);
    for (bool cold : {false, true}) {
      const double tf = seconds([&] { f.execute(s, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, wf}, {DNNL_ARG_DST, bm}}); s.wait(); }, cold);
      const double tb = seconds([&] { bd.execute(s, {{DNNL_ARG_DIFF_SRC, am}, {DNNL_ARG_WEIGHTS, wb}, {DNNL_ARG_DIFF_DST, bm}}); s.wait(); }, cold);
      const double tw = seconds([&] { bw.execute(s, {{DNNL_ARG_SRC, am}, {DNNL_ARG_DIFF_WEIGHTS, wg}, {DNNL_ARG_DIFF_DST, bm}}); s.wait(); }, cold);
      const double tg = seconds([&] { dnnl_sgemm('N', 'N', m, c, c, 1.f, a.data(), c, g.data(), c, 0.f, b.data(), c); }, cold);
      printf("%s %dx%dx%dx%d GFLOP/s: forward %.0f (%s), input gradient %.0f (%s), weight gradient %.0f (%s), sgemm %.0f\n", cold ? "cold" : "hot ",
             n, h, w, c, flop / tf / 1e9, fpd.impl_info_str(), flop / tb / 1e9, bpd.impl_info_str(), flop / tw / 1e9, wpd.impl_info_str(),
             flop / tg / 1e9);
    }
  }
}
