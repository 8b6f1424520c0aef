// OpenMP thread count for one scope.
// Part of the randwire addon (randwire_native.cc includes it).
#ifndef RANDWIRE_OMP_THREADS_H
#define RANDWIRE_OMP_THREADS_H

#include <omp.h>

namespace rw {

// Runs a scope with OpenMP's thread count set to n and puts the old count back however the scope
// ends (a oneDNN error must not leave the process on one thread behind the governor's back).
struct OmpThreads {
  explicit OmpThreads(int n) : saved(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~OmpThreads() { omp_set_num_threads(saved); }
  OmpThreads(const OmpThreads&) = delete;
  OmpThreads& operator=(const OmpThreads&) = delete;
  int saved;
};

}  // namespace rw

#endif  // RANDWIRE_OMP_THREADS_H
