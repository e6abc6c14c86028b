#pragma once
// A Communicator for runner tests: this process is rank 0 of `size` ranks, and the other ranks
// are simulated by a hook that gives, for each collective call, what rank r contributes
// (default: the same as rank 0). Hostnames are "node0", "node1", ... (two ranks per node).
// Data collectives are not simulated (they throw).
#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/system/communicator.h"

namespace gq::testing {

class FakeCommunicator : public Communicator {
 public:
  // call: index of the AllReduceMax / GatherDoubles call (counted together, from 0).
  using PeerDoubles =
      std::function<std::vector<double>(int call, int rank, const std::vector<double>& own)>;
  using PeerString = std::function<std::string(int rank, const std::string& own)>;

  explicit FakeCommunicator(int size, PeerDoubles peers = nullptr,
                            PeerString peer_strings = nullptr)
      : size_(size), peers_(std::move(peers)), peer_strings_(std::move(peer_strings)) {
    for (int r = 0; r < size; ++r) hostnames_.push_back("node" + std::to_string(r / 2));
  }

  int rank() const override { return 0; }
  int size() const override { return size_; }
  int local_rank() const override { return 0; }
  int local_size() const override { return std::min(size_, 2); }
  int nodes() const override { return (size_ + 1) / 2; }
  const std::vector<std::string>& hostnames() const override { return hostnames_; }
  std::string backend() const override { return "mpi"; }

  void Barrier() override {}
  void Broadcast(void*, size_t, int) override {}
  void AllReduceMax(std::vector<double>& values) override {
    const int call = calls_++;
    const std::vector<double> own = values;
    for (int r = 1; r < size_; ++r) {
      const std::vector<double> peer = Peer(call, r, own);
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::max(values[i], peer[i]);
    }
  }
  std::vector<double> GatherDoubles(const std::vector<double>& values, int) override {
    const int call = calls_++;
    std::vector<double> out = values;
    for (int r = 1; r < size_; ++r) {
      const std::vector<double> peer = Peer(call, r, values);
      out.insert(out.end(), peer.begin(), peer.end());
    }
    return out;
  }
  std::vector<std::string> GatherStrings(const std::string& value, int) override {
    std::vector<std::string> out{value};
    for (int r = 1; r < size_; ++r) out.push_back(peer_strings_ ? peer_strings_(r, value) : value);
    return out;
  }

  void AllReduce(const void*, void*, size_t, Dtype, CommOp) override { Unsupported(); }
  void AllGather(const void*, void*, size_t, Dtype) override { Unsupported(); }
  void ReduceScatter(const void*, void*, size_t, Dtype, CommOp) override { Unsupported(); }
  [[noreturn]] void Abort(int) override { throw std::logic_error("FakeCommunicator::Abort"); }

  int calls() const { return calls_; }

 private:
  std::vector<double> Peer(int call, int rank, const std::vector<double>& own) const {
    return peers_ ? peers_(call, rank, own) : own;
  }
  [[noreturn]] static void Unsupported() {
    throw std::logic_error("FakeCommunicator: no data collectives");
  }

  int size_;
  PeerDoubles peers_;
  PeerString peer_strings_;
  std::vector<std::string> hostnames_;
  int calls_ = 0;
};

}  // namespace gq::testing
