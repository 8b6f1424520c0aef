// Asynchronous signals stay blocked while addon code runs, on the calling thread and on every
// OpenMP worker. Part of the randwire addon (randwire_native.cc includes it).
//
// Why: oneDNN's f32 GEMM JIT kernels (the "nocopy" sgemm of jit_avx512_common_gemm_f32 and
// jit_avx_gemm_f32, behind dnnl_sgemm and the gemm-based convolutions and matmuls) point rsp at
// a malloc'ed workspace when K exceeds what they keep on the stack (K > 84 with AVX-512 on
// Debian's oneDNN 2.6.3: BatchMatMul's weight gradient of a Dense layer has K = the batch, so
// batch 128 and 512, not 32 or micro-batch 64). A signal delivered to the thread meanwhile makes
// the kernel write its frame (several KB with AVX-512 state) below rsp, over malloc's chunk headers
// and whatever lies below the workspace: "double free or corruption" or "corrupted size vs.
// prev_size" later, or silently corrupted data. Node's --cpu-prof sends SIGPROF to the main
// thread every sampling interval. Fixed upstream in oneDNN 3.11.2 (uxlfoundation/oneDNN#4845,
// PR #4855); distributions ship older versions, so the addon defends itself whichever it links.
//
// Blocked signals stay pending and arrive when the call returns (a profiler's samples during one
// native call collapse into one, taken at its end). Synchronous faults (SIGSEGV, SIGBUS, SIGFPE,
// SIGILL, SIGTRAP, SIGSYS) and SIGABRT stay unblocked: blocking them would not defer them, only
// turn a handled fault into a silent kill.
//
// OpenMP workers: libgomp creates them from the thread that opens a parallel region, and a new
// thread inherits its creator's signal mask; every parallel region of this process opens inside
// an addon call (tfjs's wasm backend runs no OpenMP), so every worker is created with the mask
// below and keeps it: workers never run JavaScript and need no signals.
#ifndef RANDWIRE_SIGNALS_H
#define RANDWIRE_SIGNALS_H

#include <pthread.h>
#include <signal.h>

namespace rw {

inline const sigset_t& asyncSignals() {
  static const sigset_t set = [] {
    sigset_t s;
    sigfillset(&s);
    for (int sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT}) sigdelset(&s, sync);
    return s;
  }();
  return set;
}

// Blocks asynchronous signals on this thread for its lifetime, then restores the previous mask
// (a pending signal is delivered then).
class AsyncSignalsBlocked {
 public:
  AsyncSignalsBlocked() { pthread_sigmask(SIG_BLOCK, &asyncSignals(), &saved_); }
  ~AsyncSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AsyncSignalsBlocked(const AsyncSignalsBlocked&) = delete;
  AsyncSignalsBlocked& operator=(const AsyncSignalsBlocked&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace rw

#endif  // RANDWIRE_SIGNALS_H
