#include "src/probe/cares_resolver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

namespace postvet::probe {
namespace {

constexpr int kClassIn = 1;     // RFC 1035 class IN
constexpr int kTypeA = 1;       // RFC 1035 type A
constexpr int kTypeTxt = 16;    // RFC 1035 type TXT
constexpr int kMaxAddresses = 64;

bool LibraryReady() {
  static const bool ready = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS;
  return ready;
}

double MillisecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The A records of a NOERROR answer, or why there are none.
void ReadAddresses(const unsigned char* abuf, int alen, DnsOutcome* out) {
  ares_addrttl ttls[kMaxAddresses];
  int count = kMaxAddresses;
  hostent* host = nullptr;
  int rc = ares_parse_a_reply(abuf, alen, &host, ttls, &count);
  if (host != nullptr) ares_free_hostent(host);
  if (rc == ARES_ENODATA) {
    out->status = DnsStatus::kNoData;  // e.g. a CNAME without an address behind it
    return;
  }
  if (rc != ARES_SUCCESS) {
    out->status = DnsStatus::kMalformed;
    out->detail = ares_strerror(rc);
    return;
  }
  out->status = DnsStatus::kAnswer;
  for (int i = 0; i < count; ++i) {
    std::array<uint8_t, 4> a{};
    std::memcpy(a.data(), &ttls[i].ipaddr, 4);
    out->addresses.push_back(a);
  }
  if (out->addresses.empty()) out->status = DnsStatus::kNoData;
}

void ReadTexts(const unsigned char* abuf, int alen, DnsOutcome* out) {
  ares_txt_ext* txt = nullptr;
  int rc = ares_parse_txt_reply_ext(abuf, alen, &txt);
  if (rc == ARES_ENODATA) {
    out->status = DnsStatus::kNoData;
    return;
  }
  if (rc != ARES_SUCCESS) {
    out->status = DnsStatus::kMalformed;
    out->detail = ares_strerror(rc);
    return;
  }
  out->status = DnsStatus::kAnswer;
  for (const ares_txt_ext* t = txt; t != nullptr; t = t->next) {
    // A record may hold several character-strings; record_start marks the first.
    std::string piece(reinterpret_cast<const char*>(t->txt), t->length);
    if (t->record_start != 0 || out->texts.empty()) {
      out->texts.push_back(std::move(piece));
    } else {
      out->texts.back() += piece;
    }
  }
  ares_free_data(txt);
  if (out->texts.empty()) out->status = DnsStatus::kNoData;
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
  r->options_.max_in_flight = std::max<std::size_t>(options.max_in_flight, 1);
  // The first channel now, so that a resolver that cannot work fails here.
  Status st = r->AddChannel();
  if (!st.ok()) return st;
  return r;
}

Status CaresResolver::AddChannel() {
  Channel& ch = channels_.emplace_back();
  ch.owner = this;
  ares_options opts{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_FLAGS | ARES_OPT_SOCK_RCVBUF;
  opts.timeout = std::max(options_.timeout_ms, 1);
  opts.tries = std::max(options_.tries, 1);
  // A DNSBL zone is a complete name: never append search domains. And
  // SERVFAIL/REFUSED are answers to report: without NOCHECKRESP c-ares 1.18
  // drops them, tries the next server and ends with "could not contact".
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP;
  opts.sock_state_cb = &CaresResolver::OnSocketState;
  opts.sock_state_cb_data = &ch;
  // Room for a burst of answers (the kernel caps it at net.core.rmem_max).
  opts.socket_receive_buffer_size = 1 << 20;
  int rc = ares_init_options(&ch.channel, &opts, mask);
  if (rc != ARES_SUCCESS) {
    channels_.pop_back();
    return Status::Error(fmt::format("c-ares: cannot initialise the resolver: {}", ares_strerror(rc)));
  }
  if (options_.servers.empty()) return {};
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
  return {};
}

CaresResolver::~CaresResolver() {
  stopping_ = true;
  // Pending callbacks run with ARES_EDESTRUCTION.
  for (Channel& ch : channels_) ares_destroy(ch.channel);
}

std::size_t CaresResolver::Submit(std::string name, QueryType type) {
  Query& q = queries_.emplace_back();
  q.name = std::move(name);
  q.type = type;
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

void CaresResolver::OnAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* q = static_cast<Query*>(arg);
  CaresResolver* self = q->channel->owner;
  if (q->done) return;  // cannot happen with c-ares; guards the counters anyway
  DnsOutcome& out = q->outcome;
  out.elapsed_ms = MillisecondsBetween(q->sent, Clock::now());
  switch (status) {
    case ARES_SUCCESS:
      if (abuf == nullptr || alen <= 0) {
        out.status = DnsStatus::kMalformed;
      } else if (q->type == QueryType::kA) {
        ReadAddresses(abuf, alen, &out);
      } else {
        ReadTexts(abuf, alen, &out);
      }
      break;
    case ARES_ENODATA: out.status = DnsStatus::kNoData; break;
    case ARES_ENOTFOUND: out.status = DnsStatus::kNxDomain; break;
    case ARES_ESERVFAIL: out.status = DnsStatus::kServFail; break;
    case ARES_EREFUSED: out.status = DnsStatus::kRefused; break;
    case ARES_EBADRESP:
    case ARES_EFORMERR:
      out.status = DnsStatus::kMalformed;
      out.detail = ares_strerror(status);
      break;
    case ARES_ETIMEOUT: out.status = DnsStatus::kTimeout; break;
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION: out.status = DnsStatus::kDeadline; break;
    default:
      // ECONNREFUSED (nothing listens on the server's port), EBADNAME, ...
      out.status = DnsStatus::kError;
      out.detail = ares_strerror(status);
      break;
  }
  q->done = true;
  --q->channel->in_flight;
  --self->in_flight_;
  ++self->finished_;
  if (!self->stopping_ && !self->starting_) self->StartMore();
}

void CaresResolver::StartMore() {
  starting_ = true;
  while (!stopping_ && next_ < queries_.size() && in_flight_ < options_.max_in_flight) {
    Channel* ch = &*std::min_element(channels_.begin(), channels_.end(), [](const Channel& a, const Channel& b) {
      return a.in_flight < b.in_flight;
    });
    // A fresh channel (fresh sockets) before one gets crowded; if none can
    // be had (no file descriptors left), the crowded one still works.
    if (ch->in_flight >= kQueriesPerChannel && channels_.size() < kMaxChannels && AddChannel().ok()) {
      ch = &channels_.back();
    }
    Query& q = queries_[next_++];
    q.channel = ch;
    q.sent = Clock::now();
    ++ch->in_flight;  // before ares_query: it may answer (and decrement) at once
    ++in_flight_;
    ares_query(ch->channel, q.name.c_str(), kClassIn, q.type == QueryType::kA ? kTypeA : kTypeTxt,
               &CaresResolver::OnAnswer, &q);
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
  StartMore();
  while (finished_ < queries_.size()) {
    Clock::time_point now = Clock::now();
    if (now >= deadline) break;
    Step(deadline - now);
    if (!starting_) StartMore();
  }
  if (finished_ < queries_.size()) {
    stopping_ = true;
    // Every open query's callback runs now, with ARES_ECANCELLED.
    for (Channel& ch : channels_) ares_cancel(ch.channel);
    for (Query& q : queries_) {
      if (q.done) continue;
      q.done = true;  // never handed to c-ares: the cap held it back
      q.outcome.status = DnsStatus::kDeadline;
      ++finished_;
    }
  }
}

}  // namespace postvet::probe
