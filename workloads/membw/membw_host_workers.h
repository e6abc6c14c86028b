#pragma once
// Host threads for membw: the CPUs this process may use, a thread bound to chosen CPUs for
// first-touch placement, and a persistent pool of bound workers for the cpu backend (STREAM runs
// its loops on OpenMP's persistent, bound threads; threads created per iteration would add their
// start-up to every sample).
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace gq {

// The CPUs the calling thread may run on (sched_getaffinity), ascending; never empty (falls
// back to 0..hardware_concurrency-1).
std::vector<int> AllowedCpus();

// Runs fn on a new thread bound to the CPUs of `cpus` that are allowed, and joins it. Returns
// true when it was bound; false when none of `cpus` is allowed (fn then runs unbound).
bool RunOnCpus(const std::vector<int>& cpus, const std::function<void()>& fn);

// `count` worker threads; worker i is bound to cpus[i % cpus.size()] (unbound when cpus is empty).
class HostWorkers {
 public:
  HostWorkers(int count, const std::vector<int>& cpus);
  HostWorkers(const HostWorkers&) = delete;
  HostWorkers& operator=(const HostWorkers&) = delete;
  ~HostWorkers();

  int count() const { return static_cast<int>(threads_.size()); }
  // Runs task(i) on worker i for each worker and returns when every one has finished. The task
  // must not throw. Not reentrant: one Run at a time.
  void Run(const std::function<void(int)>& task);

 private:
  void Loop(int index);

  std::vector<std::thread> threads_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<uint32_t> generation_{0};  // bumped to start a round
  std::atomic<int> remaining_{0};        // workers still busy in this round
  std::atomic<bool> stop_{false};
};

}  // namespace gq
