#include "src/probe/dns_reply.hpp"

#include <ares.h>

#include <cstring>
#include <string>

namespace postvet::probe {
namespace {

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
  for (int i = 0; i < count && i < kMaxAddresses; ++i) {
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

bool ReplyTruncated(const unsigned char* abuf, int alen) {
  return abuf != nullptr && alen >= 4 && (abuf[2] & 0x02) != 0;
}

void DecodeReply(QueryType type, int status, const unsigned char* abuf, int alen, DnsOutcome* out) {
  out->addresses.clear();
  out->texts.clear();
  out->detail.clear();
  switch (status) {
    case ARES_SUCCESS:
      if (abuf == nullptr || alen <= 0) {
        out->status = DnsStatus::kMalformed;
      } else if (type == QueryType::kA) {
        ReadAddresses(abuf, alen, out);
      } else {
        ReadTexts(abuf, alen, out);
      }
      break;
    case ARES_ENODATA: out->status = DnsStatus::kNoData; break;
    case ARES_ENOTFOUND: out->status = DnsStatus::kNxDomain; break;
    case ARES_ESERVFAIL: out->status = DnsStatus::kServFail; break;
    case ARES_EREFUSED: out->status = DnsStatus::kRefused; break;
    case ARES_EBADRESP:
    case ARES_EFORMERR:
      out->status = DnsStatus::kMalformed;
      out->detail = ares_strerror(status);
      break;
    case ARES_ETIMEOUT: out->status = DnsStatus::kTimeout; break;
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION: out->status = DnsStatus::kDeadline; break;
    default:
      // ECONNREFUSED (nothing listens on the server's port), EBADNAME, ...
      out->status = DnsStatus::kError;
      out->detail = ares_strerror(status);
      break;
  }
}

}  // namespace postvet::probe
