// A small persistent thread pool: the calling thread plus (threads - 1) workers that sleep on a condition
// variable between jobs (no spinning: the machine is often shared, and a spinning worker would steal the
// core another process needs). Work is split into numbered tasks taken in any order; every kernel makes
// each task's result independent of which thread ran it, so results never depend on the thread count.
#pragma once
#include <functional>

namespace pulse {

// Runs f(0) .. f(n - 1), spread over the pool; returns when all are done. Reentrant calls and calls
// while another JS thread (a worker_thread) holds the pool run all tasks on the calling thread.
void RunTasks(int n, const std::function<void(int)>& f);

// Threads used by RunTasks (>= 1). SetThreads restarts the workers.
int Threads();
void SetThreads(int n);

}  // namespace pulse
