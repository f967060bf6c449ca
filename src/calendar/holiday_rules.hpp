// Holidays by rule: the date grammar of [[calendar.holiday_rules]] (docs/spec/time.md,
// "Holiday rules"), its evaluation for a year, and the observance of weekend holidays.
//
// Resolving the holidays of a span of dates (resolve_holidays):
//  1. every rule that applies in a year (from/until/except) gives its date in that year, for
//     each year of the span and the years either side (a New Year's Day observed on 31 December
//     of the year before, a Boxing Day substitute in January after it);
//  2. listed holidays of those years are added;
//  3. `between-holidays` rules add each day, not a Sunday and not already a holiday, whose
//     previous and next days are both holidays from 1-2 (Japan's citizens' holiday);
//  4. observance: first every holiday that stays where it is (no observance, a weekday, or an
//     observance that keeps the weekend date) holds its date; then the weekend dates that move
//     or add a day are taken in date order (ties: file order), each to the first date its
//     observance allows that is not already held, and that date is held in turn. So Christmas
//     on Saturday and Boxing Day on Sunday give Monday and Tuesday; Christmas on Sunday gives
//     Tuesday, because Boxing Day holds Monday.
//  5. holidays on one date merge into one entry (names joined by " and ").
#ifndef REDRESS_SRC_CALENDAR_HOLIDAY_RULES_HPP
#define REDRESS_SRC_CALENDAR_HOLIDAY_RULES_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/calendar.hpp"

namespace redress::detail {

struct date_expr;

/// The names of holiday_observance's values, in the enum's order (`observe` in a calendar file).
inline constexpr std::string_view holiday_observance_names[] = {
    "none",           "nearest-weekday",  "monday-if-weekend",  "next-weekday",
    "additional-weekday", "monday-if-sunday", "next-day-if-sunday", "saturday-if-sunday"};

/// A holiday rule with its date expression parsed.
struct compiled_rule {
  const holiday_rule* rule = nullptr;  // points into the calendar's definition
  std::shared_ptr<const date_expr> expr;
  bool between_holidays = false;
  bool needs_equinox = false;
};

/// The most a rule's `date` may hold: "WEEKDAY after DATE" nested within one another, and
/// ", else" alternatives chained after "A if WEEKDAY" (each evaluation recurses once per level).
constexpr int max_date_nesting = 16;
constexpr int max_date_alternatives = 16;

/// The years the equinox formula (National Astronomical Observatory of Japan) holds.
constexpr int first_equinox_year = 1900;
constexpr int last_equinox_year = 2150;

/// Throws: redress::error naming the rule and what was expected.
std::vector<compiled_rule> compile_rules(const std::vector<holiday_rule>& rules);

/// The years `rules` can compute: 1-9999, narrowed to the equinox formula's years when a rule
/// that applies outside them needs it.
std::pair<int, int> rule_years(const std::vector<compiled_rule>& rules);

/// Returns: the holidays on the dates first_day..last_day (days since epoch, inclusive),
/// listed (sorted `listed_days`, names from `names`) and rule-made, sorted and merged by date.
std::vector<named_holiday> resolve_holidays(const std::vector<compiled_rule>& rules,
                                            const std::vector<std::int64_t>& listed_days,
                                            const std::map<civil_date, std::string, std::less<>>& names,
                                            std::int64_t first_day, std::int64_t last_day);

/// The date of Easter Sunday in `year`: Western (Gregorian computus) or Orthodox (Julian
/// computus, converted to the Gregorian calendar).
civil_date western_easter(int year);
civil_date orthodox_easter(int year);

/// Japan's equinox days: nullopt outside first_equinox_year..last_equinox_year.
std::optional<civil_date> march_equinox(int year);
std::optional<civil_date> september_equinox(int year);

}  // namespace redress::detail

#endif
