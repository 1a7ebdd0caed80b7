#include "src/probe/cares_resolver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "src/probe/dns_reply.hpp"

namespace postvet::probe {
namespace {

constexpr int kClassIn = 1;     // RFC 1035 class IN
constexpr int kTypeA = 1;       // RFC 1035 type A
constexpr int kTypeTxt = 16;    // RFC 1035 type TXT
// A retry waits this long times the number of tries so far.
constexpr auto kRetrySpacing = std::chrono::milliseconds(25);

bool LibraryReady() {
  static const bool ready = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS;
  return ready;
}

double MillisecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

Result<std::unique_ptr<CaresResolver>> CaresResolver::Create(const ResolverOptions& options) {
  if (!LibraryReady()) return Status::Error("c-ares: library initialisation failed");
  for (const ServerAddress& s : options.servers) {
    unsigned char buf[16];
    if (inet_pton(AF_INET, s.ip.c_str(), buf) != 1 && inet_pton(AF_INET6, s.ip.c_str(), buf) != 1) {
      return Status::Error(fmt::format("bad resolver address \"{}\"", s.ip));
    }
  }
  std::unique_ptr<CaresResolver> r(new CaresResolver(options));
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  r->sigpipe_saved_ = sigaction(SIGPIPE, &ignore, &r->old_sigpipe_) == 0;
  r->options_.max_in_flight = std::max<std::size_t>(options.max_in_flight, 1);
  r->options_.per_group_in_flight = std::max<std::size_t>(options.per_group_in_flight, 1);
  // The first channel now, so that a resolver that cannot work fails here.
  Status st = r->AddChannel(false);
  if (!st.ok()) return st;
  return r;
}

Status CaresResolver::AddChannel(bool tcp) {
  Channel& ch = channels_.emplace_back();
  ch.owner = this;
  ch.tcp = tcp;
  ares_options opts{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_FLAGS | ARES_OPT_SOCK_RCVBUF;
  opts.timeout = std::max(options_.timeout_ms, 1);
  opts.tries = std::max(options_.tries, 1);
  // A DNSBL zone is a complete name: never append search domains. And
  // SERVFAIL/REFUSED are answers to report: without NOCHECKRESP c-ares 1.18
  // drops them, tries the next server and ends with "could not contact".
  // UDP channels take truncated answers as they are (IGNTC): StartMore()
  // asks those again over the group's own TCP channel (see the header).
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP | (tcp ? ARES_FLAG_USEVC : ARES_FLAG_IGNTC);
  opts.sock_state_cb = &CaresResolver::OnSocketState;
  opts.sock_state_cb_data = &ch;
  // Room for a burst of answers (the kernel caps it at net.core.rmem_max).
  opts.socket_receive_buffer_size = 1 << 20;
  int rc = ares_init_options(&ch.channel, &opts, mask);
  if (rc != ARES_SUCCESS) {
    channels_.pop_back();
    return Status::Error(fmt::format("c-ares: cannot initialise the resolver: {}", ares_strerror(rc)));
  }
  if (!options_.servers.empty()) {
    std::vector<ares_addr_port_node> nodes(options_.servers.size());
    for (std::size_t i = 0; i < options_.servers.size(); ++i) {
      const ServerAddress& s = options_.servers[i];
      ares_addr_port_node& n = nodes[i];
      n.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
      if (inet_pton(AF_INET, s.ip.c_str(), &n.addr.addr4) == 1) {
        n.family = AF_INET;
      } else {
        inet_pton(AF_INET6, s.ip.c_str(), &n.addr.addr6);  // checked in Create()
        n.family = AF_INET6;
      }
      n.udp_port = s.port;
      n.tcp_port = s.port;
    }
    rc = ares_set_servers_ports(ch.channel, nodes.data());
    if (rc != ARES_SUCCESS) {
      ares_destroy(ch.channel);
      channels_.pop_back();
      return Status::Error(fmt::format("c-ares: cannot use the resolver addresses: {}", ares_strerror(rc)));
    }
  }
  ++(tcp ? tcp_channels_ : udp_channels_);
  return {};
}

CaresResolver::~CaresResolver() {
  stopping_ = true;
  // Pending callbacks run with ARES_EDESTRUCTION.
  for (Channel& ch : channels_) ares_destroy(ch.channel);
  if (sigpipe_saved_) sigaction(SIGPIPE, &old_sigpipe_, nullptr);
}

std::size_t CaresResolver::Submit(std::string name, QueryType type, std::size_t group) {
  Query& q = queries_.emplace_back();
  q.id = queries_.size() - 1;
  q.name = std::move(name);
  q.type = type;
  q.group = group;
  q.retries_left = std::max(options_.retries, 0);
  if (groups_.size() <= group) groups_.resize(group + 1);
  groups_[group].waiting.push_back(queries_.size() - 1);
  q.follow_up = running_;
  if (!q.follow_up) ++waiting_first_;
  return queries_.size() - 1;
}

const DnsOutcome& CaresResolver::Outcome(std::size_t id) const { return queries_.at(id).outcome; }

void CaresResolver::OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
  auto* ch = static_cast<Channel*>(data);
  auto it = std::find_if(ch->sockets.begin(), ch->sockets.end(), [&](const Socket& s) { return s.fd == fd; });
  if (readable == 0 && writable == 0) {
    if (it != ch->sockets.end()) ch->sockets.erase(it);
    return;
  }
  if (it == ch->sockets.end()) {
    ch->sockets.push_back({fd, readable != 0, writable != 0});
  } else {
    it->read = readable != 0;
    it->write = writable != 0;
  }
}

void CaresResolver::OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen) {
  auto* q = static_cast<Query*>(arg);
  q->channel->owner->Finish(q, status, timeouts, abuf, alen);
}

void CaresResolver::Finish(Query* q, int status, int timeouts, const unsigned char* abuf, int alen) {
  if (q->done || q->channel == nullptr) return;  // cannot happen with c-ares; guards the counters anyway
  Clock::time_point now = Clock::now();
  --q->channel->in_flight;
  --groups_[q->group].in_flight;
  --in_flight_;
  q->channel = nullptr;
  const std::size_t moved = flying_.back();
  flying_[q->flying_at] = moved;
  queries_[moved].flying_at = q->flying_at;
  flying_.pop_back();
  const double rtt = MillisecondsBetween(q->sent, now);
  const bool answered = status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND;
  if (answered && timeouts == 0) flow_.OnAnswer(rtt, now);
  if (timeouts > 0 || status == ARES_ETIMEOUT || status == ARES_ESERVFAIL || status == ARES_EREFUSED ||
      status == ARES_ECONNREFUSED) {
    flow_.OnLoss(now);
  }
  Group& g = groups_[q->group];
  if (!stopping_ && !q->tcp && (status == ARES_SUCCESS || status == ARES_ENODATA) && ReplyTruncated(abuf, alen)) {
    // Ask this one again over TCP, on its group's channel (the header says why).
    q->tcp = true;
    g.waiting.push_front(q->id);
    if (!q->follow_up) ++waiting_first_;
    if (!starting_) StartMore();
    return;
  }
  if (!stopping_ && q->retries_left > 0 && (status == ARES_ECONNREFUSED || status == ARES_ESERVFAIL)) {
    // No server was reached, or it failed: try again a little later, charged to this query only.
    const int tried = options_.retries - q->retries_left + 1;
    --q->retries_left;
    q->not_before = now + kRetrySpacing * tried;
    next_retry_ = std::min(next_retry_, q->not_before);
    g.waiting.push_back(q->id);
    if (!q->follow_up) ++waiting_first_;
    if (!starting_) StartMore();
    return;
  }
  DecodeReply(q->type, status, abuf, alen, &q->outcome);
  q->outcome.elapsed_ms = rtt;
  q->done = true;
  ++finished_;
  if (stopping_) return;
  NotifyDone(q->id);  // may queue follow-ups of this group (deques: q and g stay valid)
  if (!starting_) StartMore();
}

CaresResolver::Channel* CaresResolver::ChannelFor(const Query& q) {
  if (q.tcp) {
    Group& g = groups_[q.group];
    if (g.tcp != nullptr) return g.tcp;
    if (tcp_channels_ < kMaxTcpChannels && AddChannel(true).ok()) {
      g.tcp = &channels_.back();
      return g.tcp;
    }
    if (shared_tcp_ == nullptr && AddChannel(true).ok()) shared_tcp_ = &channels_.back();
    if (shared_tcp_ != nullptr) return g.tcp = shared_tcp_;
    // No TCP channel to be had (no file descriptors): a UDP one still answers something.
  }
  Channel* best = nullptr;
  for (Channel& ch : channels_) {
    if (!ch.tcp && (best == nullptr || ch.in_flight < best->in_flight)) best = &ch;
  }
  // A fresh channel (fresh sockets) before one gets crowded; if none can
  // be had (no file descriptors left), the crowded one still works.
  if (best->in_flight >= kQueriesPerChannel && udp_channels_ < kMaxChannels && AddChannel(false).ok()) {
    best = &channels_.back();
  }
  return best;
}

std::size_t CaresResolver::Counted(Clock::time_point now, Clock::time_point* change) const {
  *change = Clock::time_point::max();
  if (flow_.srtt_ms() <= 0) return flying_.size();  // nothing measured: nothing presumed lost
  const auto lost_after = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::milli>(std::max(4 * flow_.srtt_ms(), 250.0)));
  std::size_t counted = 0;
  for (std::size_t id : flying_) {
    const Clock::time_point presumed = queries_[id].sent + lost_after;
    if (presumed <= now) continue;
    ++counted;
    *change = std::min(*change, presumed);
  }
  return counted;
}

void CaresResolver::StartMore() {
  if (groups_.empty()) return;
  starting_ = true;
  const Clock::time_point now = Clock::now();
  next_retry_ = Clock::time_point::max();
  next_send_ = Clock::time_point::max();
  flow_.Refill(now, in_flight_);
  Clock::time_point change;
  std::size_t counted = Counted(now, &change);
  std::size_t idle = 0;  // groups passed in a row without sending
  while (!stopping_ && in_flight_ < 4 * options_.max_in_flight && idle < groups_.size()) {
    if (static_cast<double>(counted) >= flow_.window() || counted >= options_.max_in_flight) {
      next_send_ = std::min(next_send_, change);  // room when the oldest is presumed lost
      break;
    }
    if (!flow_.HasToken()) {
      next_send_ = std::min(next_send_, flow_.NextToken(now));  // paced: when the next token is due
      break;
    }
    Group& g = groups_[cursor_];
    cursor_ = (cursor_ + 1) % groups_.size();
    if (g.waiting.empty() || g.in_flight >= options_.per_group_in_flight) {
      ++idle;
      continue;
    }
    Query& q = queries_[g.waiting.front()];
    if (q.follow_up && waiting_first_ > 0) {
      ++idle;  // the verdicts' queries first
      continue;
    }
    if (q.not_before > now) {
      next_retry_ = std::min(next_retry_, q.not_before);
      ++idle;
      continue;
    }
    g.waiting.pop_front();
    if (!q.follow_up) --waiting_first_;
    idle = 0;
    flow_.Take();
    Channel* ch = ChannelFor(q);
    q.channel = ch;
    q.sent = Clock::now();
    q.flying_at = flying_.size();
    flying_.push_back(q.id);
    ++counted;
    ++ch->in_flight;  // before ares_query: it may answer (and decrement) at once
    ++g.in_flight;
    ++in_flight_;
    ares_query(ch->channel, q.name.c_str(), kClassIn, q.type == QueryType::kA ? kTypeA : kTypeTxt,
               &CaresResolver::OnAnswer, &q);
  }
  // Retries still waiting further back in their queues.
  for (const Group& g : groups_) {
    for (std::size_t id : g.waiting) {
      if (queries_[id].not_before > now) next_retry_ = std::min(next_retry_, queries_[id].not_before);
    }
  }
  starting_ = false;
}

void CaresResolver::Step(Clock::duration wait) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::max(wait, Clock::duration::zero()));
  // Let c-ares shorten the wait to its next retry or timeout.
  timeval limit{static_cast<time_t>(ns.count() / 1000000000),
                static_cast<suseconds_t>((ns.count() % 1000000000) / 1000)};
  // Answers may start queries on a channel added meanwhile: the next round polls it.
  const size_t channels = channels_.size();
  std::vector<pollfd> fds;
  std::vector<size_t> owners;
  for (size_t c = 0; c < channels; ++c) {
    Channel& ch = channels_[c];
    timeval tv{};
    const timeval* t = ares_timeout(ch.channel, &limit, &tv);
    limit = *t;
    for (const Socket& s : ch.sockets) {
      auto events = static_cast<short>((s.read ? POLLIN : 0) | (s.write ? POLLOUT : 0));
      fds.push_back({s.fd, events, 0});
      owners.push_back(c);
    }
  }
  timespec ts{limit.tv_sec, static_cast<long>(limit.tv_usec) * 1000};
  int n = ppoll(fds.data(), fds.size(), &ts, nullptr);
  if (n < 0 && errno != EINTR) n = 0;
  std::vector<bool> served(channels, false);
  for (size_t i = 0; i < fds.size(); ++i) {
    const pollfd& p = fds[i];
    if (p.revents == 0) continue;
    // Errors and hang-ups go to c-ares as readable, so it sees them on read.
    bool readable = (p.revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) != 0;
    bool writable = (p.revents & POLLOUT) != 0;
    ares_process_fd(channels_[owners[i]].channel, readable ? p.fd : ARES_SOCKET_BAD,
                    writable ? p.fd : ARES_SOCKET_BAD);
    served[owners[i]] = true;
  }
  // Channels with nothing to read still run their timeouts and retries.
  for (size_t c = 0; c < channels; ++c) {
    if (!served[c]) ares_process_fd(channels_[c].channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  }
}

void CaresResolver::Run(Clock::time_point deadline) {
  running_ = true;
  StartMore();
  while (finished_ < queries_.size()) {
    Clock::time_point now = Clock::now();
    if (now >= deadline) break;
    Step(std::min({deadline, next_retry_, next_send_}) - now);
    if (!starting_) StartMore();
  }
  if (finished_ < queries_.size()) {
    stopping_ = true;
    // Every open query's callback runs now, with ARES_ECANCELLED.
    for (Channel& ch : channels_) ares_cancel(ch.channel);
    for (Query& q : queries_) {
      if (q.done) continue;
      q.done = true;  // never handed to c-ares (the window held it back), or waiting for a retry
      q.outcome.status = DnsStatus::kDeadline;
      ++finished_;
    }
  }
}

}  // namespace postvet::probe
