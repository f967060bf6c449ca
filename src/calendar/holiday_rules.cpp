#include "calendar/holiday_rules.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <string_view>
#include <utility>

#include "calendar/days.hpp"
#include "redress/error.hpp"

namespace redress {

std::string_view to_string(holiday_observance o) {
  return detail::holiday_observance_names[static_cast<std::size_t>(o)];
}

std::optional<holiday_observance> parse_holiday_observance(std::string_view text) {
  for (std::size_t i = 0; i < std::size(detail::holiday_observance_names); ++i)
    if (detail::holiday_observance_names[i] == text) return static_cast<holiday_observance>(i);
  return std::nullopt;
}

std::string_view to_string(named_holiday::origin o) {
  switch (o) {
    case named_holiday::origin::rule: return "rule";
    case named_holiday::origin::listed: return "listed";
    case named_holiday::origin::observed: return "observed";
  }
  return "listed";
}

namespace detail {

struct date_expr {
  enum class kind : std::uint8_t {
    fixed, nth_weekday, easter, orthodox_easter, on_or_after, on_or_before, after, before,
    conditional, march_equinox, september_equinox, between
  };
  kind what = kind::fixed;
  int month = 0, day = 0;  // fixed
  int nth = 0;             // nth_weekday: 1-5, or -1 for the last
  int weekday = 0;         // 0 = Monday
  int offset = 0;          // easter
  unsigned mask = 0;       // conditional: bit w for weekday w
  std::shared_ptr<const date_expr> a, b;
};

namespace {

constexpr const char* weekday_words[7] = {"monday", "tuesday", "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};
constexpr const char* month_words[12] = {"january", "february", "march",     "april",
                                         "may",     "june",     "july",      "august",
                                         "september", "october", "november", "december"};
constexpr const char* ordinal_words[5] = {"first", "second", "third", "fourth", "fifth"};

const char* const expected_date =
    "expected a date: \"MM-DD\", \"first|second|third|fourth|fifth|last WEEKDAY of MONTH\", "
    "\"easter\", \"easter+N\", \"easter-N\", \"orthodox-easter+N\", \"WEEKDAY on or after DATE\", "
    "\"WEEKDAY on or before DATE\", \"WEEKDAY after DATE\", \"WEEKDAY before DATE\", "
    "\"march-equinox\", \"september-equinox\" or \"between-holidays\"";

struct token {
  std::string text;  // lower case
  std::size_t offset;
};

struct parse_failure {
  std::string message;
  std::size_t offset;
};

std::vector<token> tokenize(std::string_view text) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == ',') {
      out.push_back({",", i});
      ++i;
      continue;
    }
    const std::size_t start = i;
    std::string word;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ',') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
      ++i;
    }
    out.push_back({word, start});
  }
  return out;
}

int index_of(const std::string& word, const char* const* list, int n) {
  for (int i = 0; i < n; ++i)
    if (word == list[i]) return i;
  return -1;
}

int weekday_of_word(const std::string& word) {
  const int full = index_of(word, weekday_words, 7);
  if (full >= 0) return full;
  if (word.size() == 3)
    for (int i = 0; i < 7; ++i)
      if (std::string_view(weekday_words[i]).substr(0, 3) == word) return i;
  return -1;
}

int month_of_word(const std::string& word) {
  const int full = index_of(word, month_words, 12);
  if (full >= 0) return full + 1;
  if (word.size() == 3)
    for (int i = 0; i < 12; ++i)
      if (std::string_view(month_words[i]).substr(0, 3) == word) return i + 1;
  return -1;
}

class expression_parser {
public:
  explicit expression_parser(std::string_view text) : text_(text), tokens_(tokenize(text)) {}

  std::shared_ptr<const date_expr> parse() {
    if (tokens_.empty()) throw parse_failure{std::string("the date is empty: ") + expected_date, 0};
    auto e = conditional();
    if (pos_ < tokens_.size())
      throw parse_failure{"unexpected \"" + tokens_[pos_].text +
                              "\" after a complete date (\"A if WEEKDAY, else B\" is the only "
                              "form that goes on)",
                          tokens_[pos_].offset};
    return e;
  }

private:
  std::string_view text_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;         // "WEEKDAY after" levels open (max_date_nesting)
  int alternatives_ = 0;  // ", else" seen so far (max_date_alternatives)

  bool at_end() const { return pos_ >= tokens_.size(); }
  const token* peek() const { return at_end() ? nullptr : &tokens_[pos_]; }
  std::size_t here() const { return at_end() ? text_.size() : tokens_[pos_].offset; }
  [[noreturn]] void fail(const std::string& message) const {
    const std::string found = at_end() ? std::string("the end") : "\"" + tokens_[pos_].text + "\"";
    throw parse_failure{message + ", found " + found, here()};
  }
  bool accept(std::string_view word) {
    if (!at_end() && tokens_[pos_].text == word) {
      ++pos_;
      return true;
    }
    return false;
  }

  int weekday() {
    const int w = at_end() ? -1 : weekday_of_word(tokens_[pos_].text);
    if (w < 0) fail("expected a weekday (monday ... sunday)");
    ++pos_;
    return w;
  }

  std::shared_ptr<const date_expr> conditional() {
    auto first = simple();
    if (!accept("if")) return first;
    auto out = std::make_shared<date_expr>();
    out->what = date_expr::kind::conditional;
    out->a = first;
    out->mask |= 1u << weekday();
    for (;;) {
      const bool comma = accept(",");
      if (!at_end() && tokens_[pos_].text == "else" && ++alternatives_ > max_date_alternatives)
        throw parse_failure{"a date may chain at most " + std::to_string(max_date_alternatives) +
                                " \", else\" alternatives (this is one more)",
                            tokens_[pos_].offset};
      if (accept("else")) break;
      if (!accept("or") && !comma) fail("expected \", else DATE\" or another weekday after \"if WEEKDAY\"");
      out->mask |= 1u << weekday();
    }
    out->b = conditional();
    return out;
  }

  std::shared_ptr<const date_expr> simple() {
    ++depth_;
    accept("the");
    if (at_end()) fail(expected_date);
    const std::string word = tokens_[pos_].text;
    auto out = std::make_shared<date_expr>();
    // MM-DD
    if (word.size() == 5 && std::isdigit(static_cast<unsigned char>(word[0])) &&
        std::isdigit(static_cast<unsigned char>(word[1])) && word[2] == '-' &&
        std::isdigit(static_cast<unsigned char>(word[3])) &&
        std::isdigit(static_cast<unsigned char>(word[4]))) {
      out->what = date_expr::kind::fixed;
      out->month = (word[0] - '0') * 10 + (word[1] - '0');
      out->day = (word[3] - '0') * 10 + (word[4] - '0');
      if (out->month < 1 || out->month > 12) fail("expected a month 01-12 in \"MM-DD\"");
      if (out->day < 1 || out->day > days_in_month(2000, out->month))  // 29 February: leap years
        fail("expected a day that month has in \"MM-DD\"");
      ++pos_;
      --depth_;
      return out;
    }
    const int ordinal = index_of(word, ordinal_words, 5);
    if (ordinal >= 0 || word == "last") {
      ++pos_;
      out->what = date_expr::kind::nth_weekday;
      out->nth = ordinal >= 0 ? ordinal + 1 : -1;
      out->weekday = weekday();
      if (!accept("of")) fail("expected \"of MONTH\" after \"" + word + " " + weekday_words[out->weekday] + "\"");
      const int month = at_end() ? -1 : month_of_word(tokens_[pos_].text);
      if (month < 0) fail("expected a month (january ... december)");
      ++pos_;
      out->month = month;
      --depth_;
      return out;
    }
    for (const auto& [prefix, kind] :
         {std::pair<std::string_view, date_expr::kind>{"orthodox-easter", date_expr::kind::orthodox_easter},
          std::pair<std::string_view, date_expr::kind>{"easter", date_expr::kind::easter}}) {
      if (word.compare(0, prefix.size(), prefix) != 0) continue;
      std::string rest = word.substr(prefix.size());
      if (!rest.empty() && rest[0] != '+' && rest[0] != '-') break;  // "eastern": not easter
      ++pos_;
      if (rest.empty() && !at_end() && (tokens_[pos_].text[0] == '+' || tokens_[pos_].text[0] == '-')) {
        rest = tokens_[pos_].text;
        ++pos_;
        if (rest.size() == 1 && !at_end()) {
          rest += tokens_[pos_].text;
          ++pos_;
        }
      }
      out->what = kind;
      if (!rest.empty()) {
        bool digits = rest.size() >= 2 && rest.size() <= 4;
        for (std::size_t i = 1; i < rest.size(); ++i)
          digits = digits && std::isdigit(static_cast<unsigned char>(rest[i]));
        if (!digits) {
          --pos_;
          fail(std::string("expected \"") + std::string(prefix) + "+N\" or \"" + std::string(prefix) +
               "-N\" with N a number of days (at most 366)");
        }
        out->offset = std::stoi(rest.substr(1));
        if (out->offset > 366) {
          --pos_;
          fail("expected an offset of at most 366 days from Easter");
        }
        if (rest[0] == '-') out->offset = -out->offset;
      }
      --depth_;
      return out;
    }
    if (word == "march-equinox" || word == "september-equinox") {
      ++pos_;
      out->what = word[0] == 'm' ? date_expr::kind::march_equinox : date_expr::kind::september_equinox;
      --depth_;
      return out;
    }
    if (word == "between-holidays") {
      if (depth_ > 1 || pos_ != 0 || tokens_.size() != 1)
        fail("\"between-holidays\" stands alone: it cannot be combined with another date");
      ++pos_;
      out->what = date_expr::kind::between;
      --depth_;
      return out;
    }
    const int w = weekday_of_word(word);
    if (w >= 0) {
      if (depth_ > max_date_nesting)  // this "WEEKDAY after" is the depth_-th level
        fail("a date may nest \"WEEKDAY after DATE\" at most " + std::to_string(max_date_nesting) +
             " deep");
      ++pos_;
      out->weekday = w;
      if (accept("on")) {
        if (!accept("or")) fail("expected \"on or after\" or \"on or before\"");
        if (accept("after")) out->what = date_expr::kind::on_or_after;
        else if (accept("before")) out->what = date_expr::kind::on_or_before;
        else fail("expected \"on or after\" or \"on or before\"");
      } else if (accept("after")) {
        out->what = date_expr::kind::after;
      } else if (accept("before")) {
        out->what = date_expr::kind::before;
      } else {
        fail(std::string("expected \"on or after\", \"on or before\", \"after\" or \"before\" after \"") +
             weekday_words[w] + "\"");
      }
      out->a = simple();
      --depth_;
      return out;
    }
    fail(expected_date);
  }
};

// --- evaluation ---------------------------------------------------------------------------

std::optional<std::int64_t> evaluate(const date_expr& e, int year) {
  using k = date_expr::kind;
  switch (e.what) {
    case k::fixed: {
      const civil_date d{year, e.month, e.day};
      if (!d.ok()) return std::nullopt;  // 29 February in a common year
      return d.days_since_epoch();
    }
    case k::nth_weekday: {
      const int length = days_in_month(year, e.month);
      if (e.nth > 0) {
        const std::int64_t first = civil_date{year, e.month, 1}.days_since_epoch();
        const std::int64_t day = first + (e.weekday - weekday_index(first) + 7) % 7 + 7 * (e.nth - 1);
        if (day - first >= length) return std::nullopt;  // no fifth such weekday this month
        return day;
      }
      const std::int64_t last = civil_date{year, e.month, length}.days_since_epoch();
      return last - (weekday_index(last) - e.weekday + 7) % 7;
    }
    case k::easter: return western_easter(year).days_since_epoch() + e.offset;
    case k::orthodox_easter: return orthodox_easter(year).days_since_epoch() + e.offset;
    case k::march_equinox:
    case k::september_equinox: {
      const auto d = e.what == k::march_equinox ? march_equinox(year) : september_equinox(year);
      if (!d) return std::nullopt;
      return d->days_since_epoch();
    }
    case k::on_or_after:
    case k::on_or_before:
    case k::after:
    case k::before: {
      const auto base = evaluate(*e.a, year);
      if (!base) return std::nullopt;
      std::int64_t x = *base;
      if (e.what == k::after) ++x;
      if (e.what == k::before) --x;
      if (e.what == k::on_or_after || e.what == k::after) return x + (e.weekday - weekday_index(x) + 7) % 7;
      return x - (weekday_index(x) - e.weekday + 7) % 7;
    }
    case k::conditional: {
      const auto first = evaluate(*e.a, year);
      if (first && (e.mask & (1u << weekday_index(*first)))) return first;
      return evaluate(*e.b, year);
    }
    case k::between: return std::nullopt;
  }
  return std::nullopt;
}

bool uses_equinox(const date_expr& e) {
  if (e.what == date_expr::kind::march_equinox || e.what == date_expr::kind::september_equinox) return true;
  return (e.a && uses_equinox(*e.a)) || (e.b && uses_equinox(*e.b));
}

bool applies(const holiday_rule& r, int year) {
  if (r.from && year < *r.from) return false;
  if (r.until && year > *r.until) return false;
  return std::find(r.except.begin(), r.except.end(), year) == r.except.end();
}

std::optional<civil_date> equinox(int year, double before_1980, double from_1980, double from_2100, int month) {
  if (year < first_equinox_year || year > last_equinox_year) return std::nullopt;
  const double base = year < 1980 ? before_1980 : year < 2100 ? from_1980 : from_2100;
  // The published form: int(C + 0.242194 (Y - 1980) - int((Y - L) / 4)), L = 1983 before 1980
  // and 1980 after; int() truncates toward zero (checked: 1900 gives 21 March, as observed).
  const int leap_base = year < 1980 ? 1983 : 1980;
  const int leaps = (year - leap_base) / 4;  // C++ division truncates toward zero, as int() does
  const int day = static_cast<int>(base + 0.242194 * (year - 1980) - leaps);
  return civil_date{year, month, day};
}

}  // namespace

civil_date western_easter(int y) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return civil_date{y, month, day};
}

civil_date orthodox_easter(int y) {
  // Julian computus (Meeus), then the Julian date to a Julian day number, then Gregorian.
  const int a = y % 4, b = y % 7, c = y % 19;
  const int d = (19 * c + 15) % 30, e = (2 * a + 4 * b - d + 34) % 7;
  const int month = (d + e + 114) / 31, day = (d + e + 114) % 31 + 1;
  const std::int64_t shift = (14 - month) / 12;
  const std::int64_t yy = y + 4800 - shift, mm = month + 12 * shift - 3;
  const std::int64_t jdn = day + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - 32083;
  return civil_date::from_days(jdn - 2440588);  // 2440588: the Julian day of 1970-01-01
}

std::optional<civil_date> march_equinox(int year) { return equinox(year, 20.8357, 20.8431, 21.8510, 3); }
std::optional<civil_date> september_equinox(int year) { return equinox(year, 23.2588, 23.2488, 24.2488, 9); }

std::vector<compiled_rule> compile_rules(const std::vector<holiday_rule>& rules) {
  std::vector<compiled_rule> out;
  out.reserve(rules.size());
  for (const holiday_rule& r : rules) {
    if (r.name.empty()) throw error("a holiday rule needs a 'name'");
    compiled_rule c;
    c.rule = &r;
    try {
      c.expr = expression_parser(r.date).parse();
    } catch (const parse_failure& f) {
      throw error("holiday rule \"" + r.name + "\": invalid date \"" + r.date + "\": " + f.message);
    }
    if (r.from && r.until && *r.from > *r.until)
      throw error("holiday rule \"" + r.name + "\": 'from' (" + std::to_string(*r.from) +
                  ") is after 'until' (" + std::to_string(*r.until) + ")");
    c.between_holidays = c.expr->what == date_expr::kind::between;
    c.needs_equinox = uses_equinox(*c.expr);
    out.push_back(std::move(c));
  }
  return out;
}

std::pair<int, int> rule_years(const std::vector<compiled_rule>& rules) {
  int first = 1, last = 9999;
  for (const compiled_rule& c : rules) {
    if (!c.needs_equinox) continue;
    const int lo = c.rule->from.value_or(1), hi = c.rule->until.value_or(9999);
    if (lo < first_equinox_year) first = std::max(first, std::min(hi, first_equinox_year - 1) + 1);
    if (hi > last_equinox_year) last = std::min(last, std::max(lo, last_equinox_year + 1) - 1);
  }
  return {first, last};
}

std::vector<named_holiday> resolve_holidays(const std::vector<compiled_rule>& rules,
                                            const std::vector<std::int64_t>& listed_days,
                                            const std::map<civil_date, std::string, std::less<>>& names,
                                            std::int64_t first_day, std::int64_t last_day) {
  struct entry {
    std::int64_t day;
    named_holiday::origin source;
    std::size_t order;  // listed first, then rules in file order
    std::string name;
  };
  std::vector<entry> found;
  const int y0 = std::max(1, civil_date::from_days(first_day).year - 1);
  const int y1 = std::min(9999, civil_date::from_days(last_day).year + 1);
  const std::int64_t window_first = civil_date{y0, 1, 1}.days_since_epoch();
  const std::int64_t window_last = civil_date{y1, 12, 31}.days_since_epoch();

  std::set<std::int64_t> held;
  for (auto it = std::lower_bound(listed_days.begin(), listed_days.end(), window_first);
       it != listed_days.end() && *it <= window_last; ++it) {
    const auto name = names.find(civil_date::from_days(*it));
    found.push_back({*it, named_holiday::origin::listed, 0,
                     name != names.end() && !name->second.empty() ? name->second : "holiday"});
    held.insert(*it);
  }
  if (!rules.empty()) {
    struct base {
      std::int64_t day;
      std::size_t rule;
    };
    std::vector<base> dates;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (rules[r].between_holidays) continue;
      for (int y = y0; y <= y1; ++y)
        if (applies(*rules[r].rule, y))
          if (auto d = evaluate(*rules[r].expr, y)) dates.push_back({*d, r});
    }
    // 3. Citizens' holidays, between two holidays of steps 1-2.
    std::set<std::int64_t> national(held);
    for (const base& b : dates) national.insert(b.day);
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (!rules[r].between_holidays) continue;
      for (const std::int64_t h : national) {
        const std::int64_t d = h + 1;
        if (national.count(d) || !national.count(d + 1) || weekday_index(d) == 6) continue;
        if (!applies(*rules[r].rule, civil_date::from_days(d).year)) continue;
        if (held.insert(d).second) found.push_back({d, named_holiday::origin::rule, r + 1, rules[r].rule->name});
      }
    }
    // 4. Observance: what stays holds its date first, then the weekend dates that move or add.
    std::vector<base> pending;
    for (const base& b : dates) {
      const holiday_rule& rule = *rules[b.rule].rule;
      const int w = weekday_index(b.day);
      using o = holiday_observance;
      const bool saturday = w == 5, sunday = w == 6;
      bool moves = false, adds = false;
      switch (rule.observe) {
        case o::none: break;
        case o::nearest_weekday:
        case o::monday_if_weekend:
        case o::next_weekday: moves = saturday || sunday; break;
        case o::additional_weekday: adds = saturday || sunday; break;
        case o::monday_if_sunday:
        case o::saturday_if_sunday: moves = sunday; break;
        case o::next_day_if_sunday: adds = sunday; break;
      }
      if (!moves) {
        found.push_back({b.day, named_holiday::origin::rule, b.rule + 1, rule.name});
        held.insert(b.day);
      }
      if (moves || adds) pending.push_back(b);
    }
    std::stable_sort(pending.begin(), pending.end(),
                     [](const base& a, const base& b) { return a.day < b.day; });
    for (const base& b : pending) {
      const holiday_rule& rule = *rules[b.rule].rule;
      const bool saturday = weekday_index(b.day) == 5;
      std::int64_t t = b.day;
      const char* suffix = " (observed)";
      using o = holiday_observance;
      switch (rule.observe) {
        case o::nearest_weekday: t = saturday ? b.day - 1 : b.day + 1; break;
        case o::monday_if_weekend: t = saturday ? b.day + 2 : b.day + 1; break;
        case o::monday_if_sunday: t = b.day + 1; break;
        case o::saturday_if_sunday: t = b.day - 1; break;
        case o::next_weekday:
        case o::additional_weekday:
          suffix = rule.observe == o::next_weekday ? " (substitute day)" : " (additional day)";
          do ++t;
          while (is_weekend(t) || held.count(t));
          break;
        case o::next_day_if_sunday:
          suffix = " (substitute holiday)";
          do ++t;
          while (held.count(t));
          break;
        case o::none: break;
      }
      held.insert(t);
      found.push_back({t, named_holiday::origin::observed, b.rule + 1,
                       rule.observed_name.empty() ? rule.name + suffix : rule.observed_name});
    }
  }
  // 5. The span, one entry per date: listed names first, then rules in file order.
  auto rank = [](named_holiday::origin o) {
    return o == named_holiday::origin::listed ? 0 : o == named_holiday::origin::rule ? 1 : 2;
  };
  std::stable_sort(found.begin(), found.end(), [&](const entry& a, const entry& b) {
    if (a.day != b.day) return a.day < b.day;
    if (a.source != b.source) return rank(a.source) < rank(b.source);
    return a.order < b.order;
  });
  std::vector<named_holiday> out;
  for (std::size_t i = 0; i < found.size();) {
    std::size_t j = i;
    std::vector<const entry*> same;
    for (; j < found.size() && found[j].day == found[i].day; ++j) same.push_back(&found[j]);
    if (found[i].day >= first_day && found[i].day <= last_day) {
      named_holiday h;
      h.date = civil_date::from_days(found[i].day);
      std::vector<std::string> seen;
      for (const entry* e : same) {
        // A bare listed date that a rule names too takes the rule's name.
        if (e->source == named_holiday::origin::listed && e->name == "holiday" && same.size() > 1) continue;
        if (std::find(seen.begin(), seen.end(), e->name) != seen.end()) continue;
        if (seen.empty()) h.source = e->source;
        seen.push_back(e->name);
        h.name += (h.name.empty() ? "" : " and ") + e->name;
      }
      out.push_back(std::move(h));
    }
    i = j;
  }
  return out;
}

}  // namespace detail

std::optional<std::pair<std::string, std::size_t>> check_holiday_date(std::string_view expression) {
  try {
    (void)detail::expression_parser(expression).parse();
  } catch (const detail::parse_failure& f) {
    return std::make_pair(f.message, f.offset);
  }
  return std::nullopt;
}

}  // namespace redress
