#include "pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace pulse {
namespace {

// Tasks are claimed with a compare-and-swap on ticket_ = (generation << 32) | next task, so a worker that
// wakes late (the machine is busy) either claims a task of the current job or finds none: the caller never
// waits for a worker that has not started, only for tasks that are running.
class Pool {
 public:
  explicit Pool(int threads) { Start(threads); }

  int threads() const { return (int)workers_.size() + 1; }

  void Resize(int threads) {
    std::lock_guard<std::mutex> busy(busy_);
    Stop();
    Start(threads);
  }

  void Run(int n, const std::function<void(int)>& f) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock() || workers_.empty() || n <= 1) {
      for (int i = 0; i < n; i++) f(i);
      return;
    }
    job_.store(&f);
    n_.store(n);
    done_.store(0);
    {
      std::lock_guard<std::mutex> lk(m_);
      gen_++;
      ticket_.store(gen_ << 32);
    }
    cv_.notify_all();
    Work(gen_);
    if (done_.load() < n) {
      std::unique_lock<std::mutex> lk(m_);
      done_cv_.wait(lk, [&] { return done_.load() >= n; });
    }
  }

 private:
  // Claims and runs tasks of generation g until none is left.
  void Work(uint64_t g) {
    for (;;) {
      uint64_t t = ticket_.load();
      if ((t >> 32) != g) return;
      const int i = (int)(t & 0xffffffffu);
      const int n = n_.load();
      const std::function<void(int)>* f = job_.load();
      if (i >= n) return;
      if (!ticket_.compare_exchange_weak(t, t + 1)) continue;
      (*f)(i);
      if (done_.fetch_add(1) + 1 == n) {
        std::lock_guard<std::mutex> lk(m_);
        done_cv_.notify_all();
      }
    }
  }

  void Start(int threads) {
    stop_ = false;
    for (int t = 1; t < threads; t++)
      workers_.emplace_back([this] {
        uint64_t seen = 0;
        for (;;) {
          {
            std::unique_lock<std::mutex> lk(m_);
            cv_.wait(lk, [&] { return stop_ || gen_ != seen; });
            if (stop_) return;
            seen = gen_;
          }
          Work(seen);
        }
      });
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  std::mutex busy_;  // one job at a time; a second caller runs its tasks itself
  std::mutex m_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  std::atomic<const std::function<void(int)>*> job_{nullptr};
  std::atomic<int> n_{0}, done_{0};
  std::atomic<uint64_t> ticket_{0};
  uint64_t gen_ = 0;
  bool stop_ = false;
};

int DefaultThreads() {
  if (const char* e = std::getenv("PULSE_THREADS")) {
    int n = std::atoi(e);
    if (n >= 1) return std::min(n, 256);
  }
  return (int)std::max(1u, std::min(std::thread::hardware_concurrency(), 16u));
}

Pool& ThePool() {
  static Pool* pool = new Pool(DefaultThreads());  // never destroyed: workers sleep until the process ends
  return *pool;
}

thread_local int tl_depth = 0;

}  // namespace

void RunTasks(int n, const std::function<void(int)>& f) {
  if (tl_depth > 0) {  // a task that itself calls RunTasks runs its subtasks inline
    for (int i = 0; i < n; i++) f(i);
    return;
  }
  tl_depth++;
  ThePool().Run(n, [&](int i) {
    tl_depth++;
    f(i);
    tl_depth--;
  });
  tl_depth--;
}

int Threads() { return ThePool().threads(); }

void SetThreads(int n) { ThePool().Resize(std::max(1, std::min(n, 256))); }

}  // namespace pulse
