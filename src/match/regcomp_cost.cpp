#include "src/match/regcomp_cost.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace postvet {
namespace {

constexpr uint64_t kSaturated = uint64_t{1} << 62;

uint64_t Add(uint64_t a, uint64_t b) { return std::min(a + b, kSaturated); }
uint64_t Mul(uint64_t a, uint64_t b) { return b != 0 && a > kSaturated / b ? kSaturated : a * b; }

// One group being read: its size so far and the size of its last atom
// (what a following repetition operator applies to).
struct Frame {
  uint64_t total = 0;
  uint64_t last = 0;
};

// Past a bracket expression starting at `i` ('['): `[]a]`, `[^]a]` and
// `[:alpha:]`-style classes included. Returns the index after its ']'.
size_t SkipBracket(std::string_view p, size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;
  while (i < p.size() && p[i] != ']') {
    if (p[i] == '[' && i + 1 < p.size() && (p[i + 1] == ':' || p[i + 1] == '=' || p[i + 1] == '.')) {
      const char closer[2] = {p[i + 1], ']'};  // ":]", "=]" or ".]"
      size_t end = p.find(std::string_view(closer, 2), i + 2);
      i = end == std::string_view::npos ? p.size() : end + 2;
    } else {
      ++i;
    }
  }
  return std::min(i + 1, p.size());
}

// Reads "n}", "n,}" or "n,m}" at `i`; the copies regcomp() makes of the atom
// (m, or n + 1 when unbounded), or -1 when this is not a valid interval.
int64_t ReadInterval(std::string_view p, size_t* i, bool extended) {
  size_t j = *i;
  auto number = [&](int64_t* out) {
    size_t start = j;
    int64_t v = 0;
    while (j < p.size() && p[j] >= '0' && p[j] <= '9') v = std::min<int64_t>(v * 10 + (p[j++] - '0'), 1 << 20);
    *out = v;
    return j > start;
  };
  int64_t n = 0, m = -1;
  if (!number(&n)) return -1;
  if (j < p.size() && p[j] == ',') {
    ++j;
    if (!number(&m)) m = n + 1;
  } else {
    m = n;
  }
  if (!extended) {
    if (j + 1 >= p.size() || p[j] != '\\' || p[j + 1] != '}') return -1;
    j += 2;
  } else {
    if (j >= p.size() || p[j] != '}') return -1;
    ++j;
  }
  *i = j;
  return std::max(m, n);
}

std::atomic<uint64_t> g_run_budget_used{0};

// RegcompBudgetScope: the one alive on this thread, and the heavy token.
thread_local RegcompBudgetScope* t_scope = nullptr;
std::mutex g_heavy_mutex;
std::condition_variable g_heavy_free;
bool g_heavy_taken = false;  // guarded by g_heavy_mutex

}  // namespace

uint64_t UnrolledCharge(uint64_t atoms, size_t pattern_bytes) {
  return atoms - std::min<uint64_t>(atoms, pattern_bytes);
}

bool ChargeRunRegcompBudget(uint64_t charge) {
  if (charge == 0) return true;
  if (t_scope != nullptr) return t_scope->Charge(charge);
  uint64_t used = g_run_budget_used.load();
  do {
    if (charge > kMaxRunUnrolledAtoms - used) return false;
  } while (!g_run_budget_used.compare_exchange_weak(used, used + charge));
  return true;
}

uint64_t RunRegcompBudgetLeft() {
  return t_scope != nullptr ? t_scope->Left() : kMaxRunUnrolledAtoms - g_run_budget_used.load();
}

RegcompBudgetScope::RegcompBudgetScope() { t_scope = this; }

RegcompBudgetScope::~RegcompBudgetScope() {
  t_scope = nullptr;
  if (!heavy_) return;
  std::lock_guard<std::mutex> lock(g_heavy_mutex);
  g_heavy_taken = false;
  g_heavy_free.notify_one();
}

bool RegcompBudgetScope::Charge(uint64_t charge) {
  if (charge > kMaxRunUnrolledAtoms - used_) return false;
  if (!heavy_ && used_ + charge > kHeavyRegcompCharge) {
    std::unique_lock<std::mutex> lock(g_heavy_mutex);
    g_heavy_free.wait(lock, [] { return !g_heavy_taken; });
    g_heavy_taken = true;
    heavy_ = true;
  }
  used_ += charge;
  return true;
}

void ResetRunRegcompBudget() { g_run_budget_used.store(0); }

uint64_t EstimateRegcompAtoms(std::string_view p, bool extended) {
  std::vector<Frame> stack(1);
  auto atom = [&](uint64_t size) {
    stack.back().total = Add(stack.back().total, size);
    stack.back().last = size;
  };
  auto repeat = [&](uint64_t copies) {
    Frame& f = stack.back();
    uint64_t grown = Mul(f.last, copies);
    f.total = Add(f.total - std::min(f.total, f.last), grown);
    f.last = grown;
  };
  auto open = [&] { stack.emplace_back(); };
  auto close = [&] {
    if (stack.size() == 1) return atom(1);  // a stray ')' is an ordinary character
    uint64_t size = stack.back().total;
    stack.pop_back();
    atom(size);
  };
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '[') {
      i = SkipBracket(p, i);
      atom(1);
    } else if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      i += 2;
      if (!extended && e == '(') {
        open();
      } else if (!extended && e == ')') {
        close();
      } else if (!extended && e == '+') {
        repeat(2);
      } else if (!extended && e == '{') {
        int64_t copies = ReadInterval(p, &i, false);
        if (copies >= 0) repeat(static_cast<uint64_t>(std::max<int64_t>(copies, 1)));
      } else {
        atom(1);
      }
    } else if (extended && c == '(') {
      ++i;
      open();
    } else if (extended && c == ')') {
      ++i;
      close();
    } else if (extended && c == '+') {
      ++i;
      repeat(2);  // x+ is built as x x*
    } else if (extended && c == '{') {
      size_t j = i + 1;
      int64_t copies = ReadInterval(p, &j, true);
      if (copies >= 0) {
        i = j;
        repeat(static_cast<uint64_t>(std::max<int64_t>(copies, 1)));
      } else {
        ++i;
        atom(1);
      }
    } else if (c == '*' || (extended && c == '?')) {
      ++i;  // a loop node: no copies
    } else if (extended && c == '|') {
      ++i;
      stack.back().last = 0;
    } else {
      ++i;
      atom(1);
    }
  }
  while (stack.size() > 1) close();
  return stack.back().total;
}

}  // namespace postvet
