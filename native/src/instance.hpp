// Per-JavaScript-thread state of the addon: the kernel set, the thread count, and one helper
// thread that runs the second half of split work (network chunks, GBDT histogram features).
// Shared by addon.cpp (the network) and gbdt_bindings.cpp (the tree learner).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace salescast {

struct KernelSet;

// Runs one job at a time for the JS thread that owns it. Both sides sleep on condition
// variables: spinning instead was measured slower on a busy machine (it takes the core the other
// thread needs).
class Helper {
 public:
  Helper() : thread_([this] { loop(); }) {}
  ~Helper() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  void start(void (*fn)(void*), void* job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      fn_ = fn;
      job_ = job;
      pending_ = true;
    }
    wake_.notify_one();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return !pending_; });
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return pending_ || quit_; });
      if (quit_) return;
      lock.unlock();
      fn_(job_);
      lock.lock();
      pending_ = false;
      done_.notify_all();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  void (*fn_)(void*) = nullptr;
  void* job_ = nullptr;
  bool pending_ = false, quit_ = false;
  std::thread thread_;
};

struct Instance {
  const KernelSet* kernels;
  int threads;
  std::unique_ptr<Helper> helper;  // created on first use, joined when the JS thread ends
  Helper* getHelper() {
    if (threads < 2) return nullptr;
    if (!helper) helper.reset(new Helper());
    return helper.get();
  }
};


// Runs a(...) here and b(...) on the helper thread when there is one (else both here, a first).
template <typename A, typename B>
void runBoth(Instance* inst, A&& a, B&& b) {
  Helper* helper = inst->getHelper();
  if (!helper) {
    a();
    b();
    return;
  }
  helper->start([](void* p) { (*static_cast<B*>(p))(); }, &b);
  a();
  helper->wait();
}

}  // namespace salescast
