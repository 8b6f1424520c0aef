// Not a test: would a RandWire node's forward pass gain from running in chunks of images that
// stay in each core's cache (weighted sum + ReLU -> 3x3 depthwise -> 1x1 pointwise per chunk,
// single-threaded oneDNN primitives, the chunks shared by the threads) over three whole-tensor
// passes? Shape: C=78, 14x14, batch 64, three inputs; caches flushed before each pass.
//   g++ -O3 -march=native -std=c++17 -fopenmp bench/native/chunked-node.cc -o /tmp/chunked-node -ldnnl
//   for k in 1 2 4 8; do OMP_NUM_THREADS=2 /tmp/chunked-node $k; done
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

static double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
static std::vector<float> junk(64 << 20);
static void flush() {
  for (size_t j = 0; j < junk.size(); j += 16) junk[j] += 1.f;
}

struct Node {
  convolution_forward dw, pw;
  memory dwW, pwW;
};

static Node make(engine& eng, int n, int h, int w, int c) {
  memory::desc x({n, c, h, w}, dt::f32, tag::nhwc), dww({c, 1, 1, 3, 3}, dt::f32, tag::any), pww({c, c, 1, 1}, dt::f32, tag::any);
  convolution_forward::primitive_desc d(
      convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, x, dww, x, {1, 1}, {0, 0}, {1, 1}, {1, 1}), eng);
  convolution_forward::primitive_desc p(
      convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, x, pww, x, {1, 1}, {0, 0}, {0, 0}, {0, 0}), eng);
  Node node{convolution_forward(d), convolution_forward(p), memory(d.weights_desc(), eng), memory(p.weights_desc(), eng)};
  for (memory* m : {&node.dwW, &node.pwW}) {
    float* q = static_cast<float*>(m->get_data_handle());
    for (size_t i = 0; i < m->get_desc().get_size() / 4; i++) q[i] = ((i * 5) % 13 - 6) * 0.05f;  // no denormals
  }
  return node;
}

int main(int argc, char** argv) {
  const int n = 64, h = 14, w = 14, c = 78, k = 3, chunk = argc > 1 ? atoi(argv[1]) : 4;
  if (chunk < 1 || n % chunk != 0) {
    fprintf(stderr, "chunked-node: the chunk must divide the batch of %d images, got '%s'\n", n, argc > 1 ? argv[1] : "");
    return 2;
  }
  const long image = (long)h * w * c, size = n * image;
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  std::vector<std::vector<float>> xs(k, std::vector<float>(size));
  for (auto& v : xs)
    for (long i = 0; i < size; i++) v[i] = ((i * 7) % 23 - 11) * 0.01f;
  std::vector<float> a(size), d(size), pre(size);
  const float gate[3] = {0.3f, 0.5f, 0.2f};
  Node whole = make(eng, n, h, w, c), one;
  {
    omp_set_num_threads(1);
    one = make(eng, chunk, h, w, c);
    omp_set_num_threads(2);
  }
  auto sum = [&](long from, long to) {
    for (long i = from; i < to; i++) {
      float acc = gate[0] * xs[0][i];
      for (int j = 1; j < k; j++) acc += gate[j] * xs[j][i];
      a[i] = acc > 0 ? acc : 0;
    }
  };
  auto runWhole = [&] {
#pragma omp parallel
    {
      const long per = (size + omp_get_num_threads() - 1) / omp_get_num_threads(), from = omp_get_thread_num() * per;
      sum(from, std::min(size, from + per));
    }
    memory::desc x({n, c, h, w}, dt::f32, tag::nhwc);
    memory am(x, eng, a.data()), dm(x, eng, d.data()), pm(x, eng, pre.data());
    whole.dw.execute(s, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, whole.dwW}, {DNNL_ARG_DST, dm}});
    whole.pw.execute(s, {{DNNL_ARG_SRC, dm}, {DNNL_ARG_WEIGHTS, whole.pwW}, {DNNL_ARG_DST, pm}});
    s.wait();
  };
  auto runChunked = [&] {
#pragma omp parallel
    {
      stream ts(eng);
      memory::desc x({chunk, c, h, w}, dt::f32, tag::nhwc);
#pragma omp for schedule(static)
      for (int i = 0; i < n / chunk; i++) {
        const long o = i * chunk * image;
        sum(o, o + chunk * image);
        memory am(x, eng, a.data() + o), dm(x, eng, d.data() + o), pm(x, eng, pre.data() + o);
        one.dw.execute(ts, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, one.dwW}, {DNNL_ARG_DST, dm}});
        one.pw.execute(ts, {{DNNL_ARG_SRC, dm}, {DNNL_ARG_WEIGHTS, one.pwW}, {DNNL_ARG_DST, pm}});
        ts.wait();
      }
    }
  };
  for (int r = 0; r < 3; r++) runWhole(), runChunked();
  double tw = 0, tc = 0;
  const int reps = 20;
  for (int r = 0; r < reps; r++) {
    flush();
    double t = now();
    runWhole();
    tw += now() - t;
    flush();
    t = now();
    runChunked();
    tc += now() - t;
  }
  printf("chunks of %d images: whole tensors %.3f ms, chunked %.3f ms\n", chunk, tw / reps * 1e3, tc / reps * 1e3);
}
