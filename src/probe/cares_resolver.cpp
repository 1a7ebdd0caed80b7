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
  std::unique_ptr<CaresResolver> r(new CaresResolver(std::max<std::size_t>(options.max_in_flight, 1)));
  ares_options opts{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_FLAGS;
  opts.timeout = std::max(options.timeout_ms, 1);
  opts.tries = std::max(options.tries, 1);
  // A DNSBL zone is a complete name: never append search domains. And
  // SERVFAIL/REFUSED are answers to report: without NOCHECKRESP c-ares 1.18
  // drops them, tries the next server and ends with "could not contact".
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP;
  opts.sock_state_cb = &CaresResolver::OnSocketState;
  opts.sock_state_cb_data = r.get();
  int rc = ares_init_options(&r->channel_, &opts, mask);
  if (rc != ARES_SUCCESS) {
    r->channel_ = nullptr;
    return Status::Error(fmt::format("c-ares: cannot initialise the resolver: {}", ares_strerror(rc)));
  }
  if (!options.servers.empty()) {
    std::vector<ares_addr_port_node> nodes(options.servers.size());
    for (std::size_t i = 0; i < options.servers.size(); ++i) {
      const ServerAddress& s = options.servers[i];
      ares_addr_port_node& n = nodes[i];
      n.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
      if (inet_pton(AF_INET, s.ip.c_str(), &n.addr.addr4) == 1) {
        n.family = AF_INET;
      } else if (inet_pton(AF_INET6, s.ip.c_str(), &n.addr.addr6) == 1) {
        n.family = AF_INET6;
      } else {
        return Status::Error(fmt::format("bad resolver address \"{}\"", s.ip));
      }
      n.udp_port = s.port;
      n.tcp_port = s.port;
    }
    rc = ares_set_servers_ports(r->channel_, nodes.data());
    if (rc != ARES_SUCCESS) {
      return Status::Error(fmt::format("c-ares: cannot use the resolver addresses: {}", ares_strerror(rc)));
    }
  }
  return r;
}

CaresResolver::~CaresResolver() {
  stopping_ = true;
  if (channel_ != nullptr) ares_destroy(channel_);  // pending callbacks run with ARES_EDESTRUCTION
}

std::size_t CaresResolver::Submit(std::string name, QueryType type) {
  Query& q = queries_.emplace_back();
  q.owner = this;
  q.name = std::move(name);
  q.type = type;
  return queries_.size() - 1;
}

const DnsOutcome& CaresResolver::Outcome(std::size_t id) const { return queries_.at(id).outcome; }

void CaresResolver::OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<CaresResolver*>(data);
  auto it = std::find_if(self->sockets_.begin(), self->sockets_.end(), [&](const Socket& s) { return s.fd == fd; });
  if (readable == 0 && writable == 0) {
    if (it != self->sockets_.end()) self->sockets_.erase(it);
    return;
  }
  if (it == self->sockets_.end()) {
    self->sockets_.push_back({fd, readable != 0, writable != 0});
  } else {
    it->read = readable != 0;
    it->write = writable != 0;
  }
}

void CaresResolver::OnAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* q = static_cast<Query*>(arg);
  CaresResolver* self = q->owner;
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
  --self->in_flight_;
  ++self->finished_;
  if (!self->stopping_ && !self->starting_) self->StartMore();
}

void CaresResolver::StartMore() {
  starting_ = true;
  while (!stopping_ && next_ < queries_.size() && in_flight_ < max_in_flight_) {
    Query& q = queries_[next_++];
    q.sent = Clock::now();
    ++in_flight_;  // before ares_query: it may answer (and decrement) at once
    ares_query(channel_, q.name.c_str(), kClassIn, q.type == QueryType::kA ? kTypeA : kTypeTxt,
               &CaresResolver::OnAnswer, &q);
  }
  starting_ = false;
}

void CaresResolver::Step(Clock::duration wait) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::max(wait, Clock::duration::zero()));
  // Let c-ares shorten the wait to its next retry or timeout.
  timeval max_tv{static_cast<time_t>(ns.count() / 1000000000),
                 static_cast<suseconds_t>((ns.count() % 1000000000) / 1000)};
  timeval tv{};
  const timeval* t = ares_timeout(channel_, &max_tv, &tv);
  timespec ts{t->tv_sec, static_cast<long>(t->tv_usec) * 1000};

  std::vector<pollfd> fds;
  fds.reserve(sockets_.size());
  for (const Socket& s : sockets_) {
    auto events = static_cast<short>((s.read ? POLLIN : 0) | (s.write ? POLLOUT : 0));
    fds.push_back({s.fd, events, 0});
  }
  int n = ppoll(fds.data(), fds.size(), &ts, nullptr);
  if (n < 0 && errno != EINTR) n = 0;
  bool processed = false;
  for (const pollfd& p : fds) {
    if (p.revents == 0) continue;
    // Errors and hang-ups go to c-ares as readable, so it sees them on read.
    bool readable = (p.revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL)) != 0;
    bool writable = (p.revents & POLLOUT) != 0;
    ares_process_fd(channel_, readable ? p.fd : ARES_SOCKET_BAD, writable ? p.fd : ARES_SOCKET_BAD);
    processed = true;
  }
  // Nothing to read: still let c-ares run its timeouts and retries.
  if (!processed) ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
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
    ares_cancel(channel_);  // every open query's callback runs now, with ARES_ECANCELLED
    for (Query& q : queries_) {
      if (q.done) continue;
      q.done = true;  // never handed to c-ares: the cap held it back
      q.outcome.status = DnsStatus::kDeadline;
      ++finished_;
    }
  }
}

}  // namespace postvet::probe
