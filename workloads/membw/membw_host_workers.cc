#include "workloads/membw/membw_host_workers.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>

namespace gq {
namespace {

bool BindCurrentThread(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) {
    if (c >= 0 && c < CPU_SETSIZE) CPU_SET(c, &set);
  }
  return CPU_COUNT(&set) > 0 && pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
}

}  // namespace

std::vector<int> AllowedCpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int c = 0; c < CPU_SETSIZE; ++c) {
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
    }
  }
  if (cpus.empty()) {
    const int n = std::max(1u, std::thread::hardware_concurrency());
    for (int c = 0; c < n; ++c) cpus.push_back(c);
  }
  return cpus;
}

bool RunOnCpus(const std::vector<int>& cpus, const std::function<void()>& fn) {
  const std::vector<int> allowed = AllowedCpus();
  std::vector<int> usable;
  for (int c : cpus) {
    if (std::binary_search(allowed.begin(), allowed.end(), c)) usable.push_back(c);
  }
  bool bound = false;
  std::thread thread([&] {
    bound = !usable.empty() && BindCurrentThread(usable);
    fn();
  });
  thread.join();
  return bound;
}

HostWorkers::HostWorkers(int count, const std::vector<int>& cpus) {
  threads_.reserve(static_cast<size_t>(std::max(1, count)));
  for (int i = 0; i < std::max(1, count); ++i) {
    threads_.emplace_back([this, i, cpus] {
      if (!cpus.empty()) BindCurrentThread({cpus[static_cast<size_t>(i) % cpus.size()]});
      Loop(i);
    });
  }
}

HostWorkers::~HostWorkers() {
  stop_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void HostWorkers::Run(const std::function<void(int)>& task) {
  task_ = &task;
  remaining_.store(count(), std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);  // publishes task_ to the workers
  generation_.notify_all();
  for (int left = remaining_.load(std::memory_order_acquire); left != 0;
       left = remaining_.load(std::memory_order_acquire)) {
    remaining_.wait(left, std::memory_order_acquire);
  }
  task_ = nullptr;
}

void HostWorkers::Loop(int index) {
  uint32_t seen = 0;
  while (true) {
    generation_.wait(seen, std::memory_order_acquire);
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load(std::memory_order_acquire)) return;
    (*task_)(index);
    if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) remaining_.notify_one();
  }
}

}  // namespace gq
